import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

/**
 * Per tenant, local day, agent and group: how many calls, how many answered, and
 * their durations. Analytics read these instead of scanning call records; rows are
 * recomputed for a day whenever one of its calls changes. Agent/group 0 = none.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('call_daily_rollups')
    .$call(t.tableOptions)
    .addColumn('id', t.id, t.primaryId)
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('day', 'varchar(10)', (c) => c.notNull())
    .addColumn('agent_id', 'integer', (c) => c.notNull())
    .addColumn('group_id', 'integer', (c) => c.notNull())
    .addColumn('calls', 'integer', (c) => c.notNull())
    .addColumn('answered', 'integer', (c) => c.notNull())
    .addColumn('failed', 'integer', (c) => c.notNull())
    .addColumn('duration_sum', t.millis, (c) => c.notNull())
    .addColumn('duration_count', 'integer', (c) => c.notNull())
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .addUniqueConstraint('call_daily_rollups_key_uq', ['tenant_id', 'day', 'agent_id', 'group_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('call_daily_rollups').execute();
}
