import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('app_meta')
    .$call(t.tableOptions)
    .addColumn('meta_key', 'varchar(100)', (c) => c.primaryKey())
    .addColumn('meta_value', 'varchar(500)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('tenants')
    .$call(t.tableOptions)
    .addColumn('id', t.id, t.primaryId)
    .addColumn('name', 'varchar(120)', (c) => c.notNull())
    .addColumn('domain', 'varchar(253)', (c) => c.notNull().unique())
    .addColumn('webhook_secret_sealed', 'varchar(255)', (c) => c.notNull())
    .addColumn('settings', t.json, (c) => c.notNull())
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .$call(t.tableOptions)
    .addColumn('id', t.id, t.primaryId)
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', 'varchar(120)', (c) => c.notNull())
    .addColumn('email', 'varchar(254)', (c) => c.notNull().unique())
    .addColumn('password_hash', 'varchar(255)', (c) => c.notNull())
    .addColumn('role', 'varchar(20)', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('last_login_at', t.millis)
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('users_tenant_idx').on('users').columns(['tenant_id', 'id']).execute();

  await db.schema
    .createTable('api_tokens')
    .$call(t.tableOptions)
    .addColumn('id', t.id, t.primaryId)
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'char(64)', (c) => c.notNull().unique())
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('expires_at', t.millis, (c) => c.notNull())
    .addColumn('last_used_at', t.millis)
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('api_tokens_user_idx').on('api_tokens').columns(['tenant_id', 'user_id']).execute();
  await db.schema.createIndex('api_tokens_expiry_idx').on('api_tokens').column('expires_at').execute();

  await db.schema
    .createTable('audit_log')
    .$call(t.tableOptions)
    .addColumn('id', t.id, t.primaryId)
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('user_id', 'integer')
    .addColumn('action', 'varchar(60)', (c) => c.notNull())
    .addColumn('entity_type', 'varchar(60)', (c) => c.notNull())
    .addColumn('entity_id', 'integer')
    .addColumn('before_state', t.json)
    .addColumn('after_state', t.json)
    .addColumn('ip', 'varchar(64)')
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_tenant_time_idx').on('audit_log').columns(['tenant_id', 'created_at']).execute();
  await db.schema
    .createIndex('audit_log_tenant_entity_idx')
    .on('audit_log')
    .columns(['tenant_id', 'entity_type', 'entity_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['audit_log', 'api_tokens', 'users', 'tenants', 'app_meta']) {
    await db.schema.dropTable(table).execute();
  }
}
