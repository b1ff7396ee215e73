import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

/**
 * Weighted splits (A/B): an inbound rule may send its calls to a split instead of one agent
 * or group, its arms kept as one JSON document beside the rule (routing reads them whole with
 * the rule; target_type is 'split' and target_id 0 then). Each call routed through a split
 * stores the chosen arm's label as its `variant`, so analytics can group calls by arm.
 * No index on `variant`: the split analytics read one rule's calls in a time range through
 * the (tenant_id, started_at) index and group what they find.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('inbound_routing_rules').addColumn('split', columnTypes(db).json).execute();
  await db.schema.alterTable('call_records').addColumn('variant', 'varchar(40)').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('call_records').dropColumn('variant').execute();
  await db.schema.alterTable('inbound_routing_rules').dropColumn('split').execute();
}
