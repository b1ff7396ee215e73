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
    // Node 20's V8 gives every object built by a spread followed by more fields (`{ ...a, b }`,
    // `{ ...a, ...b }`) a hidden class of its own: a new map per call, and every read of such
    // objects downstream megamorphic. On the webhooks' path that cost ~20% of a routed call's CPU
    // (BENCHMARKS.md, "hidden classes"). `Object.assign({}, a, { b })` keeps the same keys in the
    // same order without it; a spread alone (`{ ...a }`) or fields before one spread are fine.
    files: [
      'src/core/lifecycle/**/*.ts',
      'src/core/routing/**/*.ts',
      'src/core/stats/**/*.ts',
      'src/plane/**/*.ts',
      'src/store/call-events.ts',
      'src/store/call-rollups.ts',
      'src/store/routed-calls*.ts',
      'src/store/sqlite-writer.ts',
      'src/services/distribution-service.ts',
      'src/services/routing-config.ts',
      'src/services/realtime/**/*.ts',
      'src/services/routing/**/*.ts',
      'src/http/webhook*.ts',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...['ObjectExpression > SpreadElement ~ Property', 'ObjectExpression > SpreadElement ~ SpreadElement'].map((selector) => ({
          selector,
          message: 'On the webhooks\' path, build it with Object.assign({}, a, { b }): a spread followed by more fields makes a new hidden class per object in Node 20 (eslint.config.js)',
        })),
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', '.ci/**/*.mjs'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly' } },
  },
);
