import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

/**
 * Links sent by email that let a person set a password: an admin's invitation to join a
 * tenant (the user is created when it is accepted), and a password reset of an existing
 * user. Each is single-use and expiring, and kept only as the SHA-256 hash of its token,
 * as bearer tokens are.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('invitations')
    .$call(t.tableOptions)
    .addColumn('id', t.id, t.primaryId)
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('email', 'varchar(254)', (c) => c.notNull())
    .addColumn('name', 'varchar(120)')
    .addColumn('role', 'varchar(20)', (c) => c.notNull())
    .addColumn('token_hash', 'char(64)', (c) => c.notNull().unique())
    .addColumn('invited_by', 'integer')
    .addColumn('expires_at', t.millis, (c) => c.notNull())
    .addColumn('accepted_at', t.millis)
    .addColumn('revoked_at', t.millis)
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('invitations_tenant_idx').on('invitations').columns(['tenant_id', 'id']).execute();

  await db.schema
    .createTable('password_resets')
    .$call(t.tableOptions)
    .addColumn('id', t.id, t.primaryId)
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'char(64)', (c) => c.notNull().unique())
    .addColumn('expires_at', t.millis, (c) => c.notNull())
    .addColumn('used_at', t.millis)
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('password_resets_user_idx').on('password_resets').columns(['tenant_id', 'user_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('password_resets').execute();
  await db.schema.dropTable('invitations').execute();
}
