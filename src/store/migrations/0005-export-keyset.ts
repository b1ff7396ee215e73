import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

/**
 * Exports read a tenant's call records in id order, a page at a time (`id > last`).
 * Without (tenant_id, id) a planner may pick a (tenant_id, started_at) index and sort
 * every remaining row of the tenant for each page; with it each page is a short range scan.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('call_records_tenant_id_idx').on('call_records').columns(['tenant_id', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // MySQL names the table of an index to drop; PostgreSQL and SQLite refuse that syntax.
  const drop = db.schema.dropIndex('call_records_tenant_id_idx');
  await (columnTypes(db).isMysql ? drop.on('call_records') : drop).execute();
}
