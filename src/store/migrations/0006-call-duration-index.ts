import type { Kysely } from 'kysely';
import { dropIndex } from './column-types.js';

/** Sorting and filtering calls by duration (the call-record list) without scanning the tenant's calls. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('call_records_tenant_duration_idx').on('call_records').columns(['tenant_id', 'duration_seconds']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropIndex(db, 'call_records', 'call_records_tenant_duration_idx');
}
