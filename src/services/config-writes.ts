import type { Kysely } from 'kysely';
import type { Store } from '../store/database.js';
import type { Database } from '../store/schema.js';

/** Told after a tenant's routing configuration (agents, groups, members) changed and committed, with what the write returned. */
export type OnConfigChange = (tenantId: number, result?: unknown) => Promise<void>;

/**
 * Runs a configuration write in one transaction and, once it has committed,
 * announces it, so routing caches on every instance reload before the next call.
 */
export function configWriter(store: Store, onChange: OnConfigChange) {
  return async function write<T>(tenantId: number, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    const result = await store.db.transaction().execute(work);
    await onChange(tenantId, result);
    return result;
  };
}
