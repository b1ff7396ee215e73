import type { Kysely } from 'kysely';

/** The daily roll-ups' overflow and fallback counts, in the words of the vlb_fallbacks_total metric. */
const ROUTING_COLUMNS = ['overflowed', 'fb_no_rule', 'fb_target_missing', 'fb_no_candidate', 'fb_all_at_capacity', 'fb_attempts_exhausted', 'fb_error'] as const;

/**
 * Per roll-up row, how many calls overflowed past an agent at its cap and how many
 * the fallback route took, by reason, so the dashboard's shares over any range read
 * a few rows per day instead of every call's decision trace. Days rolled up before
 * this migration are recounted by the first start after it (services/analytics/rollups.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // One column per statement: SQLite adds a single column per ALTER TABLE.
  for (const column of ROUTING_COLUMNS) await db.schema.alterTable('call_daily_rollups').addColumn(column, 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of [...ROUTING_COLUMNS].reverse()) await db.schema.alterTable('call_daily_rollups').dropColumn(column).execute();
}
