import type { Selectable } from 'kysely';
import type { Store } from './database.js';
import type { PasswordResetsTable } from './schema.js';

export type PasswordResetRow = Selectable<PasswordResetsTable>;

/** Single-use password reset links; the token is kept only as its SHA-256 hash. */
export function createPasswordResetStore({ db, dialect }: Store) {
  return {
    insert(values: Omit<PasswordResetRow, 'id'>, trx = db): Promise<number> {
      return dialect.insertId(trx, 'password_resets', values);
    },
    /** Whatever the tenant: the hash itself is the credential. */
    findByHash(tokenHash: string, trx = db): Promise<PasswordResetRow | undefined> {
      return trx.selectFrom('password_resets').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    },
    /** Uses the link once; false when it was already used or has expired. */
    async use(tenantId: number, id: number, now: number, trx = db): Promise<boolean> {
      const result = await trx
        .updateTable('password_resets')
        .set({ used_at: now })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    /** Every unused link of the user stops working (a newer one, or a password set another way). */
    async voidForUser(tenantId: number, userId: number, now: number, trx = db): Promise<void> {
      await trx
        .updateTable('password_resets')
        .set({ used_at: now })
        .where('tenant_id', '=', tenantId)
        .where('user_id', '=', userId)
        .where('used_at', 'is', null)
        .execute();
    },
  };
}
export type PasswordResetStore = ReturnType<typeof createPasswordResetStore>;
