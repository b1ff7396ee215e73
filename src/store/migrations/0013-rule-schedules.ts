import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

/**
 * When an inbound rule is open (weekly windows and holidays, core/schemas/rule-schedule.ts),
 * as one JSON document read whole with the rule. Existing rules keep null: always open,
 * exactly as before.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('inbound_routing_rules').addColumn('schedule', columnTypes(db).json).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('inbound_routing_rules').dropColumn('schedule').execute();
}
