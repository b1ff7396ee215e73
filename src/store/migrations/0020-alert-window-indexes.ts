import type { Kysely } from 'kysely';
import { dropIndex } from './column-types.js';

/**
 * The alerts' window counts read an index alone (issue 23). Once a minute, for each tenant, they count
 * the calls of the last minutes (all of them, those routed, those that fell back) and the webhooks
 * refused or failed; with those columns only in the rows, each row of the window was looked up in the
 * table, a synchronous read on the event loop: on SQLite 192 ms for 195,000 calls and 492 ms for
 * 790,000 audit rows, against 23 and ~130 from an index that holds them (BENCHMARKS.md). Both indexes
 * keep their names and leading columns, so every query that read them reads them still. The columns
 * added are set when the row is written (is_test, outcome) or change with the call's story (agent_id,
 * outcome_reason), as its duration in this index and its status in another already do: a duel of the
 * webhook path measured no added cost.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Dropped first, to keep the names: each table has other indexes led by tenant_id for its foreign key.
  await dropIndex(db, 'call_records', 'call_records_tenant_started_duration_idx');
  await db.schema
    .createIndex('call_records_tenant_started_duration_idx')
    .on('call_records')
    .columns(['tenant_id', 'started_at', 'duration_seconds', 'is_test', 'agent_id', 'outcome_reason'])
    .execute();
  await dropIndex(db, 'webhook_audit', 'webhook_audit_tenant_time_idx');
  await db.schema.createIndex('webhook_audit_tenant_time_idx').on('webhook_audit').columns(['tenant_id', 'received_at', 'outcome']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropIndex(db, 'call_records', 'call_records_tenant_started_duration_idx');
  await db.schema.createIndex('call_records_tenant_started_duration_idx').on('call_records').columns(['tenant_id', 'started_at', 'duration_seconds']).execute();
  await dropIndex(db, 'webhook_audit', 'webhook_audit_tenant_time_idx');
  await db.schema.createIndex('webhook_audit_tenant_time_idx').on('webhook_audit').columns(['tenant_id', 'received_at']).execute();
}
