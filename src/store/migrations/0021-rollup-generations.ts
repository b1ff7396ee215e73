import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

/**
 * One number per tenant that every repair of its daily roll-ups moves on (issue 23). A repair
 * reads a day's calls and its stored rows in one snapshot, off the writers, and adds the
 * difference to the rows; it applies that difference only if the number is still the one its
 * snapshot read, so two repairs never add the same difference twice, and a repair read before
 * the tenant's rows were cleared (a time-zone change) adds nothing to the rows rebuilt after.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('call_rollup_generations')
    .$call(t.tableOptions)
    .addColumn('tenant_id', 'integer', (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
    .addColumn('generation', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('call_rollup_generations').execute();
}
