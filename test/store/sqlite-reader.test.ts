import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { createSqliteReader, type SqliteReader } from '../../src/store/sqlite-reader.js';

/** The reader thread that a day's roll-up repair reads in (store/rollup-recompute.ts). */
describe('sqlite: the reader thread', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vlb-reader-'));
  const path = join(dir, 'db.sqlite');
  let store: Store;
  let reader: SqliteReader;
  const count = { sql: 'select count(*) as n from app_meta', parameters: [] };

  beforeAll(async () => {
    store = openStore(`sqlite:${path}`);
    await migrateToLatest(store);
    reader = createSqliteReader(path, { idleMs: 50 });
  });
  afterAll(async () => {
    await reader.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is what a SQLite file reads long reads with, and not an in-memory database', () => {
    expect(store.reader).not.toBeNull();
    expect(openStore('sqlite::memory:').reader).toBeNull();
  });

  it('reads what the writer thread committed, each query of a job in its order', async () => {
    await store.writer!.runStatements([{ sql: 'insert into app_meta (meta_key, meta_value) values (?, ?)', parameters: ['reader.a', '1'] }]);
    const [rows, one] = await reader.readTogether([{ sql: 'select meta_value as value from app_meta where meta_key = ?', parameters: ['reader.a'] }, { sql: 'select 1 as one', parameters: [] }]);
    expect(rows).toEqual([{ value: '1' }]);
    expect(one).toEqual([{ one: 1 }]);
  });

  it('writes nothing: it holds a read-only connection', async () => {
    await expect(reader.readTogether([{ sql: 'insert into app_meta (meta_key, meta_value) values (?, ?)', parameters: ['reader.b', '1'] }])).rejects.toThrow(/readonly|read-only|not return data/i);
    expect(await store.db.selectFrom('app_meta').select('meta_key').where('meta_key', '=', 'reader.b').execute()).toEqual([]);
  });

  it('answers a bad query with its error, and the next read still', async () => {
    await expect(reader.readTogether([{ sql: 'select * from no_such_table', parameters: [] }])).rejects.toThrow(/no such table/);
    expect((await reader.readTogether([count]))[0]![0]).toHaveProperty('n');
  });

  it('lets its thread go after idling, and reads again on a new one', async () => {
    const before = await reader.readTogether([count]);
    await new Promise((r) => setTimeout(r, 300));
    // Reads right after each other, straddling nothing: each answered, none failed by the old thread's exit.
    const again = await Promise.all([reader.readTogether([count]), reader.readTogether([count])]);
    expect(again).toEqual([before, before]);
  });
});
