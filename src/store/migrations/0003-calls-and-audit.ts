import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

/** Call records, their timelines, CDRs, webhook audit and exports: the tables that grow with traffic. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  const tenantRef = 'tenants.id';
  const index = (name: string, table: string, columns: string[]) =>
    db.schema.createIndex(name).on(table).columns(columns).execute();

  await db.schema
    .createTable('call_records')
    .$call(t.tableOptions)
    .addColumn('id', t.id, t.primaryId)
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references(tenantRef).onDelete('cascade'))
    .addColumn('session_token', 'varchar(128)', (c) => c.notNull())
    .addColumn('direction', 'varchar(20)', (c) => c.notNull())
    .addColumn('from_number', 'varchar(64)')
    .addColumn('to_number', 'varchar(64)')
    .addColumn('status', 'varchar(20)', (c) => c.notNull())
    .addColumn('agent_id', 'integer')
    .addColumn('group_id', 'integer')
    .addColumn('rule_id', 'integer')
    .addColumn('attempt', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('decision_trace', t.json)
    .addColumn('disposition', 'varchar(20)')
    .addColumn('started_at', t.millis, (c) => c.notNull())
    .addColumn('answered_at', t.millis)
    .addColumn('ended_at', t.millis)
    .addColumn('duration_seconds', 'integer')
    .addColumn('billsec', 'integer')
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .addUniqueConstraint('call_records_tenant_session_uq', ['tenant_id', 'session_token'])
    .execute();
  await index('call_records_tenant_started_idx', 'call_records', ['tenant_id', 'started_at']);
  await index('call_records_tenant_agent_idx', 'call_records', ['tenant_id', 'agent_id', 'started_at']);
  await index('call_records_tenant_group_idx', 'call_records', ['tenant_id', 'group_id', 'started_at']);
  await index('call_records_tenant_status_idx', 'call_records', ['tenant_id', 'status', 'started_at']);
  await index('call_records_tenant_direction_idx', 'call_records', ['tenant_id', 'direction', 'started_at']);

  await db.schema
    .createTable('call_events')
    .$call(t.tableOptions)
    .addColumn('id', t.id, t.primaryId)
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references(tenantRef).onDelete('cascade'))
    .addColumn('call_record_id', 'integer', (c) => c.notNull().references('call_records.id').onDelete('cascade'))
    .addColumn('event_id', 'varchar(100)')
    .addColumn('event_type', 'varchar(40)', (c) => c.notNull())
    .addColumn('from_status', 'varchar(20)')
    .addColumn('to_status', 'varchar(20)')
    .addColumn('payload', t.json)
    .addColumn('occurred_at', t.millis, (c) => c.notNull())
    .addUniqueConstraint('call_events_tenant_event_uq', ['tenant_id', 'event_id'])
    .execute();
  await index('call_events_record_idx', 'call_events', ['tenant_id', 'call_record_id', 'occurred_at']);
  await index('call_events_time_idx', 'call_events', ['tenant_id', 'occurred_at']);

  await db.schema
    .createTable('cdrs')
    .$call(t.tableOptions)
    .addColumn('id', t.id, t.primaryId)
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references(tenantRef).onDelete('cascade'))
    .addColumn('call_record_id', 'integer')
    .addColumn('session_token', 'varchar(128)')
    .addColumn('call_id', 'varchar(255)')
    .addColumn('from_number', 'varchar(64)')
    .addColumn('to_number', 'varchar(64)')
    .addColumn('disposition', 'varchar(20)')
    .addColumn('duration_seconds', 'integer')
    .addColumn('billsec', 'integer')
    .addColumn('payload', t.json, (c) => c.notNull())
    .addColumn('received_at', t.millis, (c) => c.notNull())
    .execute();
  await index('cdrs_tenant_received_idx', 'cdrs', ['tenant_id', 'received_at']);
  await index('cdrs_tenant_session_idx', 'cdrs', ['tenant_id', 'session_token']);
  await index('cdrs_tenant_disposition_idx', 'cdrs', ['tenant_id', 'disposition', 'received_at']);

  await db.schema
    .createTable('webhook_audit')
    .$call(t.tableOptions)
    .addColumn('id', t.id, t.primaryId)
    .addColumn('tenant_id', 'integer', (c) => c.references(tenantRef).onDelete('cascade'))
    .addColumn('event_type', 'varchar(40)', (c) => c.notNull())
    .addColumn('method', 'varchar(10)', (c) => c.notNull())
    .addColumn('path', 'varchar(500)', (c) => c.notNull())
    .addColumn('session_token', 'varchar(128)')
    .addColumn('outcome', 'varchar(30)', (c) => c.notNull())
    .addColumn('status_code', 'integer', (c) => c.notNull())
    .addColumn('error', 'varchar(1000)')
    .addColumn('payload', t.json)
    .addColumn('duration_ms', 'integer')
    .addColumn('received_at', t.millis, (c) => c.notNull())
    .execute();
  await index('webhook_audit_tenant_time_idx', 'webhook_audit', ['tenant_id', 'received_at']);
  await index('webhook_audit_tenant_session_idx', 'webhook_audit', ['tenant_id', 'session_token']);
  await index('webhook_audit_tenant_type_idx', 'webhook_audit', ['tenant_id', 'event_type', 'received_at']);

  await db.schema
    .createTable('exports')
    .$call(t.tableOptions)
    .addColumn('id', t.id, t.primaryId)
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references(tenantRef).onDelete('cascade'))
    .addColumn('user_id', 'integer')
    .addColumn('format', 'varchar(10)', (c) => c.notNull())
    .addColumn('status', 'varchar(20)', (c) => c.notNull())
    .addColumn('filters', t.json, (c) => c.notNull())
    .addColumn('fields', t.json, (c) => c.notNull())
    .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('row_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('file_path', 'varchar(1000)')
    .addColumn('error', 'varchar(1000)')
    .addColumn('expires_at', t.millis)
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .addColumn('completed_at', t.millis)
    .execute();
  await index('exports_tenant_created_idx', 'exports', ['tenant_id', 'created_at']);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['exports', 'webhook_audit', 'cdrs', 'call_events', 'call_records']) {
    await db.schema.dropTable(table).execute();
  }
}
