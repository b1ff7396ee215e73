import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

/**
 * The webhook secret a rotation replaced, sealed like the current one, and when it
 * stops being accepted: calls in progress carry it in their Dial action URL, and
 * Cloudonix keeps sending it until the domain is updated. Null outside a grace period.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // One column per statement: SQLite adds a single column per ALTER TABLE.
  await db.schema.alterTable('tenants').addColumn('previous_webhook_secret_sealed', 'varchar(255)').execute();
  await db.schema.alterTable('tenants').addColumn('previous_webhook_secret_expires_at', columnTypes(db).millis).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tenants').dropColumn('previous_webhook_secret_expires_at').execute();
  await db.schema.alterTable('tenants').dropColumn('previous_webhook_secret_sealed').execute();
}
