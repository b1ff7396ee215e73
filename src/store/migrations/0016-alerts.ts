import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

/**
 * Alerts and each tenant's alert settings. An alert is open while `open_key`
 * (kind and subject) is set; resolving clears it. The unique (tenant, open_key)
 * index is what keeps one open alert per kind and subject when several instances
 * see the same condition at once: NULLs never collide on any of the three databases.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('alerts')
    .$call(t.tableOptions)
    .addColumn('id', t.id, t.primaryId)
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('kind', 'varchar(40)', (c) => c.notNull())
    .addColumn('subject_id', 'integer')
    .addColumn('open_key', 'varchar(80)')
    .addColumn('state', 'varchar(20)', (c) => c.notNull())
    .addColumn('details', t.json, (c) => c.notNull())
    .addColumn('fired_at', t.millis, (c) => c.notNull())
    .addColumn('resolved_at', t.millis)
    .addColumn('acknowledged_at', t.millis)
    .addColumn('acknowledged_by', 'integer')
    .execute();
  await db.schema.createIndex('alerts_open_key_uq').on('alerts').columns(['tenant_id', 'open_key']).unique().execute();
  await db.schema.createIndex('alerts_tenant_state_idx').on('alerts').columns(['tenant_id', 'state', 'id']).execute();

  await db.schema
    .createTable('alert_settings')
    .$call(t.tableOptions)
    .addColumn('tenant_id', 'integer', (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
    .addColumn('settings', t.json, (c) => c.notNull())
    .addColumn('signing_secret_sealed', 'varchar(512)')
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('alert_settings').execute();
  await db.schema.dropTable('alerts').execute();
}
