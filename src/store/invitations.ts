import type { Selectable } from 'kysely';
import type { Store } from './database.js';
import type { InvitationsTable } from './schema.js';

export type InvitationRow = Selectable<InvitationsTable>;

/** Invitations to join a tenant; the token is kept only as its SHA-256 hash. */
export function createInvitationStore({ db, dialect }: Store) {
  return {
    insert(values: Omit<InvitationRow, 'id'>, trx = db): Promise<number> {
      return dialect.insertId(trx, 'invitations', values);
    },
    findById(tenantId: number, id: number, trx = db): Promise<InvitationRow | undefined> {
      return trx.selectFrom('invitations').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    },
    /** Whatever the tenant: the hash itself is the credential. */
    findByHash(tokenHash: string, trx = db): Promise<InvitationRow | undefined> {
      return trx.selectFrom('invitations').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    },
    /** Not accepted, not revoked and not expired at `now`, newest first. */
    listPending(tenantId: number, now: number): Promise<InvitationRow[]> {
      return db
        .selectFrom('invitations')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .orderBy('id', 'desc')
        .execute();
    },
    /** Revokes the tenant's pending invitations of this email (a new one replaces them). */
    async revokePendingFor(tenantId: number, email: string, now: number, trx = db): Promise<void> {
      await trx
        .updateTable('invitations')
        .set({ revoked_at: now })
        .where('tenant_id', '=', tenantId)
        .where('email', '=', email)
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .execute();
    },
    /** Marks one pending invitation; false when it was no longer pending (used, revoked or expired meanwhile). */
    async close(tenantId: number, id: number, change: { accepted_at: number } | { revoked_at: number }, now: number, trx = db): Promise<boolean> {
      const result = await trx
        .updateTable('invitations')
        .set(change)
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}
export type InvitationStore = ReturnType<typeof createInvitationStore>;
