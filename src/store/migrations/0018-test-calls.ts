import type { Kysely } from 'kysely';

/**
 * Test calls (POST /api/voice-agents/:id/test-call): a call the console placed through
 * Cloudonix to try an agent is recorded like any call and marked `is_test` (1), so the
 * lists can show or hide it and analytics leave it out. Every existing row is a real
 * call: the default 0 carries them. An integer 0/1 like the other flags (`enabled`), so
 * the three databases read it back alike. No index: the list filters on it beside the
 * (tenant_id, started_at) index, and test calls are few.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('call_records').addColumn('is_test', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('call_records').dropColumn('is_test').execute();
}
