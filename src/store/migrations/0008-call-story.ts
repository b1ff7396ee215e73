import { sql, type Kysely } from 'kysely';
import { columnTypes, dropIndex } from './column-types.js';

/**
 * A call's story: `facts` holds what its webhooks told (a join of events, see
 * core/lifecycle), `outcome_reason` why it ended so, `cloudonix_direction` the
 * Direction Cloudonix sent, as sent. CDRs get a natural key so a redelivered
 * CDR is stored once, enforced by the database: the session token, else the
 * SIP Call-ID (rows from before keep a key of their own id).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema.alterTable('call_records').addColumn('facts', t.json).execute();
  await db.schema.alterTable('call_records').addColumn('outcome_reason', 'varchar(30)').execute();
  await db.schema.alterTable('call_records').addColumn('cloudonix_direction', 'varchar(20)').execute();
  await db.schema.alterTable('cdrs').addColumn('dedupe_key', 'varchar(300)').execute();
  // concat() on MariaDB (|| is OR there) and PostgreSQL; SQLite before 3.44 knows only ||.
  const key = t.isMysql || t.isPostgres ? sql`concat('row:', id)` : sql`'row:' || id`;
  await sql`update cdrs set dedupe_key = ${key}`.execute(db);
  await db.schema.createIndex('cdrs_tenant_dedupe_uq').on('cdrs').columns(['tenant_id', 'dedupe_key']).unique().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropIndex(db, 'cdrs', 'cdrs_tenant_dedupe_uq');
  await db.schema.alterTable('cdrs').dropColumn('dedupe_key').execute();
  for (const column of ['cloudonix_direction', 'outcome_reason', 'facts']) await db.schema.alterTable('call_records').dropColumn(column).execute();
}
