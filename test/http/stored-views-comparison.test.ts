import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, TEST_REDIS_URL, type TestDialect } from '../support/backends.js';
import { awayFromHourBoundary, readViews, seedBase, seedSequences, viewKind, type SeededTenant } from '../support/stored-views.js';
import { seedMixedDay } from '../support/stored-views-mixed.js';
import { normaliseViews } from '../support/stored-views-normalise.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Why this exists: issue 23 lets the storage of calls change (which indexes the
 * call table has, timeline rows only for events after the call's first write, a
 * compact decision trace, other Redis scripts), and promises that nothing a user
 * relies on changes with it. So the same seeded calls, played through the real
 * webhooks on every database, must show exactly the views recorded in the golden
 * files before the storage changed: the call-record list (filters, sorts, pages),
 * each record's drawer (timeline, decision trace, CDRs), the CDR list and details,
 * the CSV export, the analytics, today's stats and the webhook audit (and, for the
 * mixed day, the refused webhooks and the configuration audit log).
 *
 * The goldens are one per data set for every backend. They are written from code
 * whose views are known to be right with `UPDATE_STORED_VIEWS=1` (the first backend
 * writes, the others are compared in the same run); a storage change must never
 * need new goldens. Only what legitimately differs between runs is normalised
 * (test/support/stored-views-normalise.ts).
 */
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/stored-views');
const update = process.env.UPDATE_STORED_VIEWS === '1';

function compareWithGolden(file: string, snapshot: Record<string, unknown>, writes: boolean): void {
  const golden = join(FIXTURES, file);
  if (update && writes) {
    mkdirSync(FIXTURES, { recursive: true });
    writeFileSync(golden, `${JSON.stringify(snapshot, null, 1)}\n`);
  }
  expect(existsSync(golden), `${golden} missing: run with UPDATE_STORED_VIEWS=1 on code whose views are right`).toBe(true);
  const expected = JSON.parse(readFileSync(golden, 'utf8')) as Record<string, unknown>;
  expect(Object.keys(snapshot)).toEqual(Object.keys(expected));
  for (const name of Object.keys(expected)) expect(snapshot[name], name).toEqual(expected[name]);
}

/** Every database, and SQLite with the Redis plane (routing state and slots in Redis). */
const BACKENDS: { name: string; dialect: TestDialect; env: Record<string, string> }[] = [
  ...DIALECTS.map((dialect) => ({ name: dialect.name, dialect, env: {} })),
  ...(TEST_REDIS_URL ? [{ name: 'sqlite+redis', dialect: DIALECTS[0]!, env: { REDIS_URL: TEST_REDIS_URL } }] : []),
];

for (const [index, { name, dialect, env }] of BACKENDS.entries()) {
  describe(`${name}: the views of stored calls`, () => {
    let t: TestApp;
    let base: number;
    let runStart: number;
    let sequences: SeededTenant[];
    let mixed: SeededTenant;
    let stopExportWorker: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      t = await createTestApp(dialect, env);
      // With Redis, exports are BullMQ jobs that only a started worker runs.
      if (env.REDIS_URL) stopExportWorker = t.runtime.services.exports.startBackground();
      await awayFromHourBoundary();
      runStart = Date.now();
      base = seedBase(runStart);
      sequences = await seedSequences(t, base);
      mixed = await seedMixedDay(t, base);
      await t.runtime.services.routing.audit.flush();
    }, 300_000);
    afterAll(async () => {
      await stopExportWorker?.();
      await t?.close();
    });

    it('shows the calls of every recorded Cloudonix sequence exactly as the golden file records', async () => {
      const snapshot: Record<string, unknown> = {};
      for (const s of sequences) {
        snapshot[s.name] = normaliseViews(await readViews(t, s, runStart), viewKind, { base, runStart, replacements: s.replacements });
      }
      compareWithGolden('sequences.json', snapshot, index === 0);
    }, 120_000);

    it("shows a mixed day's calls (overflow, failover, fallback number, busy, late CDR, repeats, outbound) exactly as the golden file records", async () => {
      const views = normaliseViews(await readViews(t, mixed, runStart, true), viewKind, { base, runStart, replacements: mixed.replacements });
      compareWithGolden('mixed-day.json', views, index === 0);
    }, 120_000);
  });
}
