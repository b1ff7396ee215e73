import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  const tenantRef = 'tenants.id';

  await db.schema
    .createTable('voice_agents')
    .$call(t.tableOptions)
    .addColumn('id', t.id, t.primaryId)
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references(tenantRef).onDelete('cascade'))
    .addColumn('name', 'varchar(120)', (c) => c.notNull())
    .addColumn('provider', 'varchar(60)', (c) => c.notNull())
    .addColumn('service_value', 'varchar(500)', (c) => c.notNull())
    .addColumn('username_sealed', 'varchar(1000)')
    .addColumn('password_sealed', 'varchar(1000)')
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('max_concurrent_calls', 'integer')
    .addColumn('description', 'varchar(1000)')
    .addColumn('metadata', t.json)
    .addColumn('health_status', 'varchar(20)', (c) => c.notNull().defaultTo('healthy'))
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('voice_agents_tenant_name_idx').on('voice_agents').columns(['tenant_id', 'name']).execute();
  await db.schema
    .createIndex('voice_agents_tenant_provider_idx')
    .on('voice_agents')
    .columns(['tenant_id', 'provider', 'enabled'])
    .execute();

  await db.schema
    .createTable('agent_groups')
    .$call(t.tableOptions)
    .addColumn('id', t.id, t.primaryId)
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references(tenantRef).onDelete('cascade'))
    .addColumn('name', 'varchar(120)', (c) => c.notNull())
    .addColumn('strategy', 'varchar(30)', (c) => c.notNull())
    .addColumn('settings', t.json, (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('agent_groups_tenant_name_idx').on('agent_groups').columns(['tenant_id', 'name']).execute();

  await db.schema
    .createTable('agent_group_memberships')
    .$call(t.tableOptions)
    .addColumn('id', t.id, t.primaryId)
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references(tenantRef).onDelete('cascade'))
    .addColumn('group_id', 'integer', (c) => c.notNull().references('agent_groups.id').onDelete('cascade'))
    .addColumn('agent_id', 'integer', (c) => c.notNull().references('voice_agents.id').onDelete('cascade'))
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('capacity', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .addUniqueConstraint('agent_group_memberships_group_agent_uq', ['group_id', 'agent_id'])
    .execute();
  await db.schema
    .createIndex('agent_group_memberships_agent_idx')
    .on('agent_group_memberships')
    .columns(['tenant_id', 'agent_id'])
    .execute();

  await db.schema
    .createTable('inbound_routing_rules')
    .$call(t.tableOptions)
    .addColumn('id', t.id, t.primaryId)
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references(tenantRef).onDelete('cascade'))
    .addColumn('name', 'varchar(120)')
    .addColumn('pattern', 'varchar(64)', (c) => c.notNull())
    .addColumn('target_type', 'varchar(10)', (c) => c.notNull())
    .addColumn('target_id', 'integer', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(100))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('inbound_rules_tenant_order_idx')
    .on('inbound_routing_rules')
    .columns(['tenant_id', 'priority', 'position'])
    .execute();
  await db.schema
    .createIndex('inbound_rules_target_idx')
    .on('inbound_routing_rules')
    .columns(['tenant_id', 'target_type', 'target_id'])
    .execute();

  await db.schema
    .createTable('outbound_routing_rules')
    .$call(t.tableOptions)
    .addColumn('id', t.id, t.primaryId)
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references(tenantRef).onDelete('cascade'))
    .addColumn('name', 'varchar(120)', (c) => c.notNull())
    .addColumn('caller_id_pattern', 'varchar(64)', (c) => c.notNull())
    .addColumn('destination_pattern', 'varchar(64)', (c) => c.notNull())
    .addColumn('trunk_config', t.json, (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(100))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('outbound_rules_tenant_order_idx')
    .on('outbound_routing_rules')
    .columns(['tenant_id', 'priority', 'position'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'outbound_routing_rules',
    'inbound_routing_rules',
    'agent_group_memberships',
    'agent_groups',
    'voice_agents',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
