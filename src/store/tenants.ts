import type { Kysely, Selectable, Updateable } from 'kysely';
import type { Store } from './database.js';
import type { Database, TenantsTable } from './schema.js';

export type TenantRow = Selectable<TenantsTable>;

/**
 * Tenants. `findByDomain` is the one lookup not scoped by a tenant id: it is
 * how a webhook finds its tenant.
 */
export function createTenantStore({ db, dialect }: Store) {
  return {
    insert(values: Omit<TenantRow, 'id'>, trx = db): Promise<number> {
      return dialect.insertId(trx, 'tenants', values);
    },
    findById(tenantId: number, trx = db): Promise<TenantRow | undefined> {
      return trx.selectFrom('tenants').selectAll().where('id', '=', tenantId).executeTakeFirst();
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
