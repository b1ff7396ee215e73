import BetterSqlite3 from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { startSqliteCheckpointer } from '../../src/store/sqlite-checkpointer.js';
import { createSqliteWriter } from '../../src/store/sqlite-writer.js';

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

describe('sqlite: the WAL stays bounded under sustained writes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vlb-wal-bound-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const LIMIT = 8 * 1024 * 1024;
  const BATCHES = 4000;
  const ROWS_PER_BATCH = 20;
  /** Writers, each pausing a timer's turn between batches: commits keep arriving, at a pace nearer production's against the limit. */
  const WRITERS = 2;

  it('while commits keep arriving the WAL file stays near its limit, is emptied when they stop, and every row is there', async () => {
    const path = join(dir, 'db.sqlite');
    // The main connection as the store opens it: WAL, no automatic checkpoints.
    const main = new BetterSqlite3(path);
    main.pragma('journal_mode = WAL');
    main.pragma('synchronous = NORMAL');
    main.pragma('wal_autocheckpoint = 0');
    main.exec('create table calls (id integer primary key, batch integer not null, payload text not null)');
    main.exec('create index calls_batch on calls (batch)');
    const writer = createSqliteWriter(path);
    const checkpointer = startSqliteCheckpointer(path, { walLimitBytes: LIMIT, growthBytes: LIMIT / 2, intervalMs: 200, tickMs: 20 });
    const walSize = () => (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0);
    const insert = (batch: number) =>
      writer.insertRows({ sql: 'insert into calls (batch, payload) values (?, ?)', rows: Array.from({ length: ROWS_PER_BATCH }, () => [batch, randomBytes(300).toString('hex')]) });
    let peak = 0;
    const watch = setInterval(() => (peak = Math.max(peak, walSize())), 10);
    try {
      // The checkpointer's thread takes a moment to start: the load begins once it has copied a first batch back.
      await insert(0);
      const fileBefore = statSync(path).size;
      await expect.poll(() => statSync(path).size, { timeout: 10_000, interval: 20 }).toBeGreaterThan(fileBefore);
      let next = 1;
      const postBatches = async () => {
        while (next < BATCHES) {
          await insert(next++);
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      };
      await Promise.all(Array.from({ length: WRITERS }, postBatches));
      const peakUnderLoad = Math.max(peak, walSize());
      // Far more was written than the limit: a log that never started over would be far above it.
      expect(statSync(path).size + walSize()).toBeGreaterThan(6 * LIMIT);
      expect(peakUnderLoad).toBeLessThan(2 * LIMIT);
      // Once writes stop, the file is given back to the disk rather than kept at its peak.
      await expect.poll(walSize, { timeout: 10_000, interval: 50 }).toBeLessThanOrEqual(LIMIT);

      const { n, batches } = main.prepare('select count(*) as n, count(distinct batch) as batches from calls').get() as { n: number; batches: number };
      expect({ n, batches }).toEqual({ n: BATCHES * ROWS_PER_BATCH, batches: BATCHES });
      expect(main.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      clearInterval(watch);
      await writer.close();
      await checkpointer.close();
      main.close();
    }
  });
});

describe('sqlite: the writer thread cuts a grown log back when it starts it over', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vlb-wal-cut-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const LIMIT = 1024 * 1024;

  it('after a checkpoint copied the whole log, its next commit leaves the file at most the journal size limit', async () => {
    const path = join(dir, 'db.sqlite');
    const main = new BetterSqlite3(path);
    main.pragma('journal_mode = WAL');
    main.pragma('wal_autocheckpoint = 0');
    main.exec('create table calls (id integer primary key, payload text not null)');
    // Under load the writer thread, not the main connection, is the one that commits first after a checkpoint.
    const writer = createSqliteWriter(path, { journalSizeLimitBytes: LIMIT });
    const walSize = () => (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0);
    const insert = (rows: number) => writer.insertRows({ sql: 'insert into calls (payload) values (?)', rows: Array.from({ length: rows }, () => [randomBytes(2000).toString('hex')]) });
    try {
      for (let i = 0; i < 20; i++) await insert(50);
      const grown = walSize();
      expect(grown).toBeGreaterThan(4 * LIMIT);
      const done = main.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
      expect(done[0]!.checkpointed).toBe(done[0]!.log);
      // A checkpoint alone leaves the file at its size; the commit that starts the log over cuts it.
      expect(walSize()).toBe(grown);
      await insert(1);
      expect(walSize()).toBeLessThanOrEqual(LIMIT);
      expect((main.prepare('select count(*) as n from calls').get() as { n: number }).n).toBe(1001);
    } finally {
      await writer.close();
      main.close();
    }
  });
});
