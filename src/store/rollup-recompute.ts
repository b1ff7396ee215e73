import type { CompiledQuery, Kysely } from 'kysely';
import { rollupDifference } from '../core/stats/rollup-difference.js';
import { ROLLUP_COUNTERS, zeroCounts, type RollupEntry } from '../core/stats/rollup-contribution.js';
import type { Store } from './database.js';
import { dayCounts } from './rollup-calls.js';
import type { Database } from './schema.js';
import { UNCHANGED_CODE } from './sqlite-writer.js';

/** A day's roll-up as one snapshot of the database saw it. */
export interface DaySnapshot {
  /** The tenant's roll-up generation then (0: none yet): the difference is added only if it still is. */
  generation: number;
  /** The day's counts as its calls give them, one entry per agent and group. */
  truth: RollupEntry[];
  /** The day's rows as stored. */
  stored: RollupEntry[];
}

/** The tenant's generation moved since the snapshot: another recompute, or its rows cleared, came first. */
class StaleSnapshot extends Error {}

const NUMBER_COLUMNS = ['agent_id', 'group_id', ...ROLLUP_COUNTERS] as const;

/** Rows of (agent_id, group_id, counters…) as entries of the tenant's day (drivers give some sums as strings). */
function entriesOf(rows: readonly Record<string, unknown>[], tenantId: number, day: string): RollupEntry[] {
  return rows.map((r) => {
    const counts = zeroCounts();
    for (const c of ROLLUP_COUNTERS) counts[c] = Number(r[c] ?? 0);
    return { tenantId, day, agentId: Number(r.agent_id), groupId: Number(r.group_id), counts };
  });
}

/**
 * The repair of a day's roll-ups (services/analytics/rollups.ts runs it as a backstop, after
 * upgrades and after a time-zone change): the day's calls are counted and its stored rows read
 * in one snapshot, without a lock and off the writers, and only the difference is written, with
 * the rows' atomic add, in a short transaction. Before, the recompute replaced the day's rows in
 * one transaction: on SQLite it held the writer thread, which new calls' commits (and their voice
 * answers) wait behind, for seconds on a day of a million calls; on PostgreSQL and MariaDB its
 * delete held the rows' locks, which every call write's add waits for, as long as the count read.
 * `addQuery` compiles the atomic add of entries (store/call-rollups.ts).
 */
export function createRollupRecompute({ db, writer, reader, dialect }: Store, addQuery: (entries: readonly RollupEntry[], now: number) => CompiledQuery | null) {
  const generationOf = (q: Kysely<Database>, tenantId: number) => q.selectFrom('call_rollup_generations').select('generation').where('tenant_id', '=', tenantId);
  const storedRows = (q: Kysely<Database>, tenantId: number, day: string) =>
    q.selectFrom('call_daily_rollups').select([...NUMBER_COLUMNS]).where('tenant_id', '=', tenantId).where('day', '=', day);
  /** The generation moved on, if it is still the snapshot's: the first recompute inserts it (a second one then meets a duplicate). */
  const advance = (q: Kysely<Database>, tenantId: number, generation: number) =>
    generation === 0
      ? q.insertInto('call_rollup_generations').values({ tenant_id: tenantId, generation: 1 })
      : q.updateTable('call_rollup_generations').set({ generation: generation + 1 }).where('tenant_id', '=', tenantId).where('generation', '=', generation);
  // A row whose calls all left it (they moved to another agent's row, or were deleted) goes, as a replaced day's would.
  const emptied = (q: Kysely<Database>, tenantId: number, day: string) => q.deleteFrom('call_daily_rollups').where('tenant_id', '=', tenantId).where('day', '=', day).where('calls', '=', 0);

  async function snapshotDay(tenantId: number, day: string, start: number, end: number): Promise<DaySnapshot> {
    const read = (q: Kysely<Database>) => [generationOf(q, tenantId).compile(), storedRows(q, tenantId, day).compile(), dayCounts(q, dialect, tenantId, start, end).compile()];
    let rows: readonly Record<string, unknown>[][];
    if (reader) rows = await reader.readTogether(read(db));
    else {
      // One snapshot: REPEATABLE READ on PostgreSQL and MariaDB (their reads take no locks); an in-memory SQLite is serial anyway.
      const trx = dialect.name === 'sqlite' ? db.transaction() : db.transaction().setIsolationLevel('repeatable read');
      rows = await trx.execute(async (t) => {
        const out: Record<string, unknown>[][] = [];
        for (const q of read(t)) out.push((await t.executeQuery<Record<string, unknown>>(q)).rows);
        return out;
      });
    }
    const [generation, stored, truth] = rows as [Record<string, unknown>[], Record<string, unknown>[], Record<string, unknown>[]];
    return { generation: generation.length === 0 ? 0 : Number(generation[0]!.generation), truth: entriesOf(truth, tenantId, day), stored: entriesOf(stored, tenantId, day) };
  }

  /**
   * Adds what the snapshot says the day's rows lack, unless the tenant's generation moved since
   * (`raced`: read again). Nothing is written when the rows were right.
   */
  async function applySnapshot(tenantId: number, day: string, snapshot: DaySnapshot, now: number): Promise<'done' | 'raced'> {
    const difference = rollupDifference(snapshot.truth, snapshot.stored);
    if (difference.length === 0 && !snapshot.stored.some((e) => e.counts.calls === 0)) return 'done';
    const add = addQuery(difference, now);
    try {
      if (writer) {
        const statements = [Object.assign({ mustChange: true }, advance(db, tenantId, snapshot.generation).compile()), ...(add ? [add] : []), emptied(db, tenantId, day).compile()];
        await writer.runStatements(statements);
      } else {
        await db.transaction().execute(async (t) => {
          const moved = await advance(t, tenantId, snapshot.generation).executeTakeFirst();
          if ('numUpdatedRows' in moved && moved.numUpdatedRows === 0n) throw new StaleSnapshot();
          if (add) await t.executeQuery(add);
          await emptied(t, tenantId, day).execute();
        });
      }
      return 'done';
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (err instanceof StaleSnapshot || code === UNCHANGED_CODE || dialect.isUniqueViolation(err) || dialect.isDeadlock(err)) return 'raced';
      throw err;
    }
  }

  return {
    snapshotDay,
    applySnapshot,
    /**
     * Brings one local day's rows to the counts of the calls that started in [start, end).
     * `raced` when another recompute of the tenant, or the clearing of its rows, came between its
     * read and its write (or, on MariaDB, a deadlock chose it): it wrote nothing; run it again.
     */
    async recomputeDay(tenantId: number, day: string, start: number, end: number, now: number): Promise<'done' | 'raced'> {
      return applySnapshot(tenantId, day, await snapshotDay(tenantId, day, start, end), now);
    },
    /** Every row of the tenant gone (its days are about to be counted anew), and recomputes read before now void. */
    async clearTenant(tenantId: number): Promise<void> {
      await db.transaction().execute(async (t) => {
        await t.deleteFrom('call_daily_rollups').where('tenant_id', '=', tenantId).execute();
        await dialect.addingOnConflict(t.insertInto('call_rollup_generations').values({ tenant_id: tenantId, generation: 1 }), 'call_rollup_generations', ['tenant_id'], ['generation'], []).execute();
      });
    },
  };
}
