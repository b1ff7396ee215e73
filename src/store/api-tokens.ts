import type { Selectable } from 'kysely';
import type { Store } from './database.js';
import type { ApiTokensTable, UsersTable } from './schema.js';

export type ApiTokenRow = Selectable<ApiTokensTable>;

export interface TokenOwner {
  token: ApiTokenRow;
  user: Selectable<UsersTable>;
}

/** Bearer tokens, kept only as SHA-256 hashes. */
export function createApiTokenStore({ db, dialect }: Store) {
  return {
    insert(values: Omit<ApiTokenRow, 'id'>, trx = db): Promise<number> {
      return dialect.insertId(trx, 'api_tokens', values);
    },
    /** The token with its user, whatever the tenant: the hash itself is the credential. */
    async findByHash(tokenHash: string): Promise<TokenOwner | undefined> {
      const row = await db
        .selectFrom('api_tokens as t')
        .innerJoin('users as u', (j) => j.onRef('u.id', '=', 't.user_id').onRef('u.tenant_id', '=', 't.tenant_id'))
        .select([
          't.id as t_id',
          't.tenant_id as t_tenant_id',
          't.user_id as t_user_id',
          't.token_hash as t_token_hash',
          't.name as t_name',
          't.expires_at as t_expires_at',
          't.last_used_at as t_last_used_at',
          't.created_at as t_created_at',
        ])
        .select(['u.id', 'u.tenant_id', 'u.name', 'u.email', 'u.password_hash', 'u.role', 'u.active'])
        .select(['u.last_login_at', 'u.created_at', 'u.updated_at'])
        .where('t.token_hash', '=', tokenHash)
        .executeTakeFirst();
      if (!row) return undefined;
      const { t_id, t_tenant_id, t_user_id, t_token_hash, t_name, t_expires_at, t_last_used_at, t_created_at, ...user } =
        row;
      return {
        token: {
          id: t_id,
          tenant_id: t_tenant_id,
          user_id: t_user_id,
          token_hash: t_token_hash,
          name: t_name,
          expires_at: t_expires_at,
          last_used_at: t_last_used_at,
          created_at: t_created_at,
        },
        user,
      };
    },
    async touch(tenantId: number, id: number, at: number): Promise<void> {
      await db.updateTable('api_tokens').set({ last_used_at: at }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },
    async delete(tenantId: number, id: number, trx = db): Promise<void> {
      await trx.deleteFrom('api_tokens').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },
    /** Signs the user out everywhere except `keepId` (0 keeps none); returns the ids removed, so their sockets can close. */
    async deleteOthersForUser(tenantId: number, userId: number, keepId: number, trx = db): Promise<number[]> {
      const rows = await trx
        .selectFrom('api_tokens')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('user_id', '=', userId)
        .where('id', '<>', keepId)
        .execute();
      const ids = rows.map((r) => Number(r.id));
      if (ids.length > 0) await trx.deleteFrom('api_tokens').where('tenant_id', '=', tenantId).where('id', 'in', ids).execute();
      return ids;
    },
    async deleteForUser(tenantId: number, userId: number, trx = db): Promise<void> {
      await trx.deleteFrom('api_tokens').where('tenant_id', '=', tenantId).where('user_id', '=', userId).execute();
    },
  };
}
export type ApiTokenStore = ReturnType<typeof createApiTokenStore>;
