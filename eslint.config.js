// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The layers of design.md: each may import only from the layers before it. */
const layer = (folder, forbidden, packages = []) => ({
  files: [`src/${folder}/**/*.{ts,tsx}`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...forbidden.map((f) => ({ group: [`**/${f}/*`, `**/${f}/**`], message: `src/${folder} may not import from src/${f} (see docs/architecture.md)` })),
          ...packages.map((p) => ({ group: [p, `${p}/*`], message: `src/${folder} stays free of ${p}` })),
        ],
      },
    ],
  },
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  layer('core', ['store', 'plane', 'services', 'http', 'web', 'cli'], ['fastify', 'kysely', 'ioredis', 'pg', 'mysql2', 'better-sqlite3']),
  layer('store', ['plane', 'services', 'http', 'web', 'cli']),
  layer('plane', ['services', 'http', 'web', 'cli']),
  layer('services', ['http', 'web', 'cli']),
  layer('http', ['web', 'cli']),
  layer('web', ['store', 'plane', 'services', 'http', 'cli']),
  {
    files: ['scripts/**/*.mjs', '.ci/**/*.mjs'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly' } },
  },
);
