import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/backends.js';
import { awayFromHourBoundary, readViews, seedBase, seedSequences, viewKind, type SeededTenant } from '../support/stored-views.js';
import { normaliseViews } from '../support/stored-views-normalise.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Why this exists: issue 23 lets the storage of calls change (which indexes the
 * call table has, timeline rows only for events after the call's first write, a
 * compact decision trace, other Redis scripts), and promises that nothing a user
 * relies on changes with it. So the same seeded calls, played through the real
 * webhooks on every database, must show exactly the views recorded in the golden
 * file before the storage changed: the call-record list (filters, sorts, pages),
 * each record's drawer (timeline, decision trace, CDRs), the CDR list and details,
 * the CSV export, the analytics, today's stats and the webhook audit.
 *
 * The golden is one file for every backend. It is written from code whose views are
 * known to be right with `UPDATE_STORED_VIEWS=1` (the first backend writes it, the
 * others are compared with it in the same run); a storage change must never need a
 * new golden. Only what legitimately differs between runs is normalised
 * (test/support/stored-views-normalise.ts).
 */
const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/stored-views/sequences.json');
const update = process.env.UPDATE_STORED_VIEWS === '1';

for (const [index, dialect] of DIALECTS.entries()) {
  describe(`${dialect.name}: the views of stored calls`, () => {
    let t: TestApp;
    let base: number;
    let runStart: number;
    let tenants: SeededTenant[];
    beforeAll(async () => {
      t = await createTestApp(dialect);
      await awayFromHourBoundary();
      runStart = Date.now();
      base = seedBase(runStart);
      tenants = await seedSequences(t, base);
    }, 300_000);
    afterAll(async () => t?.close());

    it('shows every seeded call in each view exactly as the golden file records', async () => {
      const snapshot: Record<string, unknown> = {};
      for (const s of tenants) {
        snapshot[s.name] = normaliseViews(await readViews(t, s, runStart), viewKind, { base, runStart, replacements: s.replacements });
      }
      if (update && index === 0) {
        mkdirSync(dirname(GOLDEN), { recursive: true });
        writeFileSync(GOLDEN, `${JSON.stringify(snapshot, null, 1)}\n`);
      }
      expect(existsSync(GOLDEN), `${GOLDEN} missing: run with UPDATE_STORED_VIEWS=1 on code whose views are right`).toBe(true);
      const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, unknown>;
      expect(Object.keys(snapshot)).toEqual(Object.keys(golden));
      for (const name of Object.keys(golden)) expect(snapshot[name], name).toEqual(golden[name]);
    }, 120_000);
  });
}
