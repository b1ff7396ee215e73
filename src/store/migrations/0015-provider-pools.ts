import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

/**
 * Provider-account pools: several agents share one provider account whose
 * concurrency limit spans them all (a VAPI organisation's concurrent calls).
 * An agent belongs to at most one pool (`voice_agents.pool_id`, null: none); a
 * pool in use cannot be deleted (the service refuses), so the column carries no
 * foreign key and SQLite can add it in place.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('provider_pools')
    .$call(t.tableOptions)
    .addColumn('id', t.id, t.primaryId)
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', 'varchar(120)', (c) => c.notNull())
    .addColumn('provider', 'varchar(60)')
    .addColumn('max_concurrent_calls', 'integer', (c) => c.notNull())
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('provider_pools_tenant_name_idx').on('provider_pools').columns(['tenant_id', 'name']).execute();
  await db.schema.alterTable('voice_agents').addColumn('pool_id', 'integer').execute();
  await db.schema.createIndex('voice_agents_tenant_pool_idx').on('voice_agents').columns(['tenant_id', 'pool_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  const drop = db.schema.dropIndex('voice_agents_tenant_pool_idx');
  await (t.isMysql ? drop.on('voice_agents') : drop).execute();
  await db.schema.alterTable('voice_agents').dropColumn('pool_id').execute();
  await db.schema.dropTable('provider_pools').execute();
}
