// Builds what is missing or stale before `npm start`: the server (tsc) and the UI (vite).
// Compares modification times so a second start costs nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const serverOnly = process.argv.includes('--server-only');

function newest(path, skip = () => false) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const name of readdirSync(path)) {
    const child = join(path, name);
    if (skip(child)) continue;
    max = Math.max(max, newest(child, skip));
  }
  return max;
}

function mtime(path) {
  return existsSync(path) ? statSync(path).mtimeMs : 0;
}

function run(script) {
  console.log(`> npm run ${script}`);
  const r = spawnSync('npm', ['run', '-s', script], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const webDir = join(root, 'src', 'web');
const serverSources = Math.max(
  newest(join(root, 'src'), (p) => p.startsWith(webDir)),
  mtime(join(root, 'tsconfig.json')),
  mtime(join(root, 'tsconfig.build.json')),
);
if (mtime(join(root, 'dist', 'cli', 'main.js')) < serverSources) run('build:server');

if (!serverOnly) {
  const webSources = Math.max(
    newest(webDir),
    newest(join(root, 'src', 'core')),
    mtime(join(root, 'index.html')),
    mtime(join(root, 'vite.config.ts')),
  );
  if (mtime(join(root, 'dist', 'web', 'index.html')) < webSources) run('build:web');
}
