import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

/**
 * What an agent is told about each call (SIP headers, caller ID and name, time limit,
 * stream parameters), as one JSON document: routing reads it whole with the agent, and
 * a group keeps its own inside its settings. Null for agents that set none.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('voice_agents').addColumn('dial_options', columnTypes(db).json).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('voice_agents').dropColumn('dial_options').execute();
}
