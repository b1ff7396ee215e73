import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';

describe('sqlite: WAL checkpoints run off the event loop', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vlb-wal-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the WAL is copied back while the store is open and emptied when it closes; nothing is lost', async () => {
    const path = join(dir, 'db.sqlite');
    const store = openStore(`sqlite:${path}`);
    await migrateToLatest(store);
    const now = Date.now();
    for (let i = 0; i < 300; i++) {
      await store.db.insertInto('tenants').values({ name: `T${i}`, domain: `t${i}.example`, webhook_secret_sealed: 'x', settings: '{}', created_at: now, updated_at: now }).execute();
    }
    // The worker checkpoints every few seconds: the main file grows though this connection never checkpoints.
    const before = statSync(path).size;
    await expect.poll(() => statSync(path).size, { timeout: 20_000, interval: 100 }).toBeGreaterThan(before);
    await store.close();
    expect(!existsSync(`${path}-wal`) || statSync(`${path}-wal`).size === 0).toBe(true);

    const again = openStore(`sqlite:${path}`);
    const { n } = await again.db.selectFrom('tenants').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(n)).toBe(300);
    await again.close();
  });
});
