import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Store } from './database.js';
import type { Database, TenantsTable } from './schema.js';

export type TenantRow = Selectable<TenantsTable>;

/**
 * Tenants. `findByDomain` (how a webhook finds its tenant) and `listAll` (how
 * background work visits each) are the lookups not scoped by a tenant id.
 */
export function createTenantStore({ db, dialect }: Store) {
  return {
    insert(values: Omit<Insertable<TenantsTable>, 'id'>, trx = db): Promise<number> {
      return dialect.insertId(trx, 'tenants', values);
    },
    findById(tenantId: number, trx = db): Promise<TenantRow | undefined> {
      return trx.selectFrom('tenants').selectAll().where('id', '=', tenantId).executeTakeFirst();
    },
    /** Every tenant, for background work that visits each in turn (the live-call sweep). */
    listAll(): Promise<TenantRow[]> {
      return db.selectFrom('tenants').selectAll().orderBy('id').execute();
    },
    findByDomain(domain: string): Promise<TenantRow | undefined> {
      return db.selectFrom('tenants').selectAll().where('domain', '=', domain.toLowerCase()).executeTakeFirst();
    },
    /**
     * Takes a write lock on the tenant's row for the rest of the transaction: a
     * portable mutex for invariants that span rows (such as "one admin remains").
     */
    async lock(tenantId: number, trx: Kysely<Database>): Promise<void> {
      await trx
        .updateTable('tenants')
        .set((eb) => ({ updated_at: eb.ref('updated_at') }))
        .where('id', '=', tenantId)
        .execute();
    },
    async update(tenantId: number, values: Updateable<TenantsTable>, trx = db): Promise<void> {
      await trx.updateTable('tenants').set(values).where('id', '=', tenantId).execute();
    },
  };
}
export type TenantStore = ReturnType<typeof createTenantStore>;
