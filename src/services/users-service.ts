import { AppError, notFound } from '../core/errors.js';
import { hashPassword } from '../core/password-hash.js';
import { assertAcceptablePassword } from '../core/password-policy.js';
import type { Actor } from '../core/principal.js';
import type { Pagination } from '../core/schemas/fields.js';
import type { RevokedTokens } from '../core/schemas/realtime.js';
import type { CreateUserInput, UpdateUserInput, UserView } from '../core/schemas/user.js';
import type { Store } from '../store/database.js';
import type { Repositories } from '../store/index.js';
import type { UsersTable } from '../store/schema.js';
import type { Updateable } from 'kysely';
import type { Clock } from './clock.js';
import { pageMeta, toUserView, type PageMeta } from './views.js';

interface UsersDeps {
  store: Store;
  repos: Repositories;
  clock: Clock;
  /** Told after a deactivation signed a user out, so their open real-time sockets close. */
  onTokensRevoked?: ((revoked: RevokedTokens) => void) | undefined;
}

export interface UserListFilters extends Pagination {
  search?: string | undefined;
  role?: 'admin' | 'analyst' | undefined;
  active?: boolean | undefined;
}

const lastAdmin = () =>
  new AppError('last_admin', 'A tenant must keep at least one active admin: promote another user first.');

/** Managing the people of one tenant. The last active admin can be neither demoted nor deactivated. */
export function createUsersService({ store, repos, clock, onTokensRevoked }: UsersDeps) {
  async function audit(actor: Actor, action: string, id: number, before: UserView | undefined, after: UserView | undefined, trx = store.db) {
    await repos.auditLog.insert(
      actor.principal.tenantId,
      { userId: actor.principal.userId, action, entityType: 'user', entityId: id, before, after, ip: actor.ip, at: clock() },
      trx,
    );
  }

  return {
    async list(tenantId: number, f: UserListFilters): Promise<{ data: UserView[]; meta: PageMeta }> {
      const { rows, total } = await repos.users.list(tenantId, {
        page: f.page,
        perPage: f.per_page,
        search: f.search,
        role: f.role,
        active: f.active,
      });
      return { data: rows.map(toUserView), meta: pageMeta(f.page, f.per_page, total) };
    },

    async get(tenantId: number, id: number): Promise<UserView> {
      const row = await repos.users.findById(tenantId, id);
      if (!row) throw notFound('User');
      return toUserView(row);
    },

    async create(actor: Actor, input: CreateUserInput): Promise<UserView> {
      const tenantId = actor.principal.tenantId;
      if (await repos.users.findByEmail(input.email)) {
        throw new AppError('conflict', 'The email is already registered.', { fields: { email: ['is already registered'] } });
      }
      assertAcceptablePassword(input.password, [input.email, input.name]);
      const passwordHash = await hashPassword(input.password);
      const now = clock();
      try {
        return await store.db.transaction().execute(async (trx) => {
          const id = await repos.users.insert(
            {
              tenant_id: tenantId,
              name: input.name,
              email: input.email,
              password_hash: passwordHash,
              role: input.role,
              active: 1,
              last_login_at: null,
              created_at: now,
              updated_at: now,
            },
            trx,
          );
          const row = await repos.users.findById(tenantId, id, trx);
          if (!row) throw new Error('user vanished inside its own transaction');
          const view = toUserView(row);
          await audit(actor, 'user.created', id, undefined, view, trx);
          return view;
        });
      } catch (err) {
        if (store.dialect.isUniqueViolation(err)) {
          throw new AppError('conflict', 'The email is already registered.', { fields: { email: ['is already registered'] } });
        }
        throw err;
      }
    },

    async update(actor: Actor, id: number, input: UpdateUserInput): Promise<UserView> {
      const tenantId = actor.principal.tenantId;
      const updated = await store.db.transaction().execute(async (trx) => {
        // Serialises concurrent admin changes in this tenant, so two admins cannot demote each other at once.
        await repos.tenants.lock(tenantId, trx);
        const before = await repos.users.findById(tenantId, id, trx);
        if (!before) throw notFound('User');
        const wasActiveAdmin = before.role === 'admin' && Number(before.active) === 1;
        const staysActiveAdmin = (input.role ?? before.role) === 'admin' && (input.active ?? Number(before.active) === 1);
        if (wasActiveAdmin && !staysActiveAdmin && (await repos.users.countActiveAdmins(tenantId, trx)) <= 1) {
          throw lastAdmin();
        }
        const changes: Updateable<UsersTable> = { updated_at: clock() };
        if (input.name !== undefined) changes.name = input.name;
        if (input.role !== undefined) changes.role = input.role;
        if (input.active !== undefined) changes.active = input.active ? 1 : 0;
        await repos.users.update(tenantId, id, changes, trx);
        // A deactivated user is signed out everywhere at once.
        if (input.active === false) await repos.apiTokens.deleteForUser(tenantId, id, trx);
        const after = await repos.users.findById(tenantId, id, trx);
        if (!after) throw notFound('User');
        const view = toUserView(after);
        const action = input.active === false ? 'user.deactivated' : input.active === true ? 'user.reactivated' : 'user.updated';
        await audit(actor, action, id, toUserView(before), view, trx);
        return view;
      });
      if (input.active === false) onTokensRevoked?.({ tenantId, userId: id });
      return updated;
    },

    /** DELETE deactivates: the user's history (audit rows, exports) keeps its author. */
    deactivate(actor: Actor, id: number): Promise<UserView> {
      return this.update(actor, id, { active: false });
    },
  };
}
export type UsersService = ReturnType<typeof createUsersService>;
