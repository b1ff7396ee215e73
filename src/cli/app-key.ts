import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeAppKey, type Config } from '../core/config.js';

/**
 * In embedded mode APP_KEY may be absent: the first start generates one into
 * DATA_DIR/app.key (readable by the owner only) and later starts reuse it.
 */
export function resolveAppKey(config: Config): Buffer {
  if (config.appKey) return config.appKey;
  const file = join(config.dataDir, 'app.key');
  if (existsSync(file)) {
    const key = decodeAppKey(readFileSync(file, 'utf8'));
    if (!key) throw new Error(`${file} does not hold a 32-byte key; restore it or set APP_KEY`);
    return key;
  }
  mkdirSync(config.dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
