import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';

describe('sqlite: group commit and a killed process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vlb-crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every call whose write resolved before SIGKILL is in the file with its timeline, batches held open under load included', async () => {
    const path = join(dir, 'db.sqlite');
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/group-commit-child.ts', path], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acknowledged: string[] = [];
    let errors = '';
    child.stderr.on('data', (d: Buffer) => (errors += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((done) => child.once('exit', (_code, signal) => done(signal)));
    let partial = '';
    await new Promise<void>((enough, failed) => {
      child.once('exit', () => failed(new Error(`the writer exited early:\n${errors}`)));
      child.stdout.on('data', (d: Buffer) => {
        const lines = (partial + d.toString()).split('\n');
        partial = lines.pop()!;
        for (const line of lines) if (line.startsWith('crash-')) acknowledged.push(line);
        // Killed mid-stream: batches in flight, others held open, callers waiting.
        if (acknowledged.length >= 1500 && child.exitCode === null) {
          child.kill('SIGKILL');
          enough();
        }
      });
    });
    expect(await exited).toBe('SIGKILL');
    // Lines already in the pipe were acknowledged before the kill too.
    for (const line of partial.split('\n')) if (line.startsWith('crash-')) acknowledged.push(line);

    const store = openStore(`sqlite:${path}`);
    try {
      await migrateToLatest(store);
      const stored = new Set((await store.db.selectFrom('call_records').select('session_token').execute()).map((r) => r.session_token));
      expect(acknowledged.filter((s) => !stored.has(s))).toEqual([]);
      const { n } = await store.db
        .selectFrom('call_events')
        .innerJoin('call_records', 'call_records.id', 'call_events.call_record_id')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      // A record never lands without its timeline: they share a transaction.
      expect(Number(n)).toBe(stored.size * 2);
    } finally {
      await store.close();
    }
  }, 120_000);
});
