import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

/**
 * Each tenant's connection to the Cloudonix REST API: its domain API key sealed
 * with APP_KEY (never stored or shown in clear; `key_hint` is its last 4 characters),
 * whether session updates and CDRs for sessions we never routed are checked with
 * Cloudonix first, and what domain setup last did (the voice application it made).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('cloudonix_connections')
    .$call(t.tableOptions)
    .addColumn('tenant_id', 'integer', (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
    .addColumn('api_key_sealed', 'varchar(512)', (c) => c.notNull())
    .addColumn('key_hint', 'varchar(8)', (c) => c.notNull())
    .addColumn('verify_unknown_sessions', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('application_id', 'integer')
    .addColumn('last_setup_at', t.millis)
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('cloudonix_connections').execute();
}
