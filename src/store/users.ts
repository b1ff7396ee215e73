import type { Selectable, Updateable } from 'kysely';
import type { Store } from './database.js';
import { containsInsensitive } from './like.js';
import type { UsersTable } from './schema.js';

export type UserRow = Selectable<UsersTable>;

export interface UserListQuery {
  page: number;
  perPage: number;
  search?: string | undefined;
  role?: string | undefined;
  active?: boolean | undefined;
}

/** Users of a tenant. Every method takes the tenant id first, except the login lookup by email. */
export function createUserStore({ db, dialect }: Store) {
  return {
    insert(values: Omit<UserRow, 'id'>, trx = db): Promise<number> {
      return dialect.insertId(trx, 'users', values);
    },
    findById(tenantId: number, id: number, trx = db): Promise<UserRow | undefined> {
      return trx
        .selectFrom('users')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
    },
    /** Emails are unique across tenants: a person logs in without naming a tenant. */
    findByEmail(email: string): Promise<UserRow | undefined> {
      return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
    },
    async list(tenantId: number, q: UserListQuery): Promise<{ rows: UserRow[]; total: number }> {
      let base = db.selectFrom('users').where('tenant_id', '=', tenantId);
      if (q.search) {
        const needle = q.search;
        base = base.where((eb) =>
          eb.or([containsInsensitive(eb.ref('email'), needle), containsInsensitive(eb.ref('name'), needle)]),
        );
      }
      if (q.role) base = base.where('role', '=', q.role);
      if (q.active !== undefined) base = base.where('active', '=', q.active ? 1 : 0);
      const [rows, count] = await Promise.all([
        base
          .selectAll()
          .orderBy('id')
          .limit(q.perPage)
          .offset((q.page - 1) * q.perPage)
          .execute(),
        base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(count.n) };
    },
    async countActiveAdmins(tenantId: number, trx = db): Promise<number> {
      const row = await trx
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('tenant_id', '=', tenantId)
        .where('role', '=', 'admin')
        .where('active', '=', 1)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async update(tenantId: number, id: number, values: Updateable<UsersTable>, trx = db): Promise<void> {
      await trx.updateTable('users').set(values).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },
  };
}
export type UserStore = ReturnType<typeof createUserStore>;
