import type { Selectable } from 'kysely';
import type { Store } from './database.js';
import type { CloudonixConnectionsTable } from './schema.js';

/** A tenant's Cloudonix connection with numbers as numbers (PostgreSQL answers bigint as text). */
export interface CloudonixConnectionRow {
  tenantId: number;
  apiKeySealed: string;
  keyHint: string;
  verifyUnknownSessions: boolean;
  applicationId: number | null;
  lastSetupAt: number | null;
  createdAt: number;
  updatedAt: number;
}

const nullableNumber = (v: number | string | null): number | null => (v === null ? null : Number(v));

function rowOf(r: Selectable<CloudonixConnectionsTable>): CloudonixConnectionRow {
  return {
    tenantId: Number(r.tenant_id),
    apiKeySealed: r.api_key_sealed,
    keyHint: r.key_hint,
    verifyUnknownSessions: Number(r.verify_unknown_sessions) === 1,
    applicationId: nullableNumber(r.application_id),
    lastSetupAt: nullableNumber(r.last_setup_at),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

/** One row per tenant (tenant_id is the key), removed with the tenant. */
export function createCloudonixConnectionStore({ db, dialect }: Store) {
  return {
    async find(tenantId: number): Promise<CloudonixConnectionRow | undefined> {
      const row = await db.selectFrom('cloudonix_connections').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
      return row ? rowOf(row) : undefined;
    },

    /** Sets the key (and the option when given), keeping what setup recorded; creates the row the first time. */
    async saveKey(tenantId: number, sealed: string, hint: string, verifyUnknownSessions: boolean | undefined, now: number): Promise<void> {
      const verify = verifyUnknownSessions === undefined ? {} : { verify_unknown_sessions: verifyUnknownSessions ? 1 : 0 };
      const update = () =>
        db.updateTable('cloudonix_connections').set({ api_key_sealed: sealed, key_hint: hint, ...verify, updated_at: now }).where('tenant_id', '=', tenantId).executeTakeFirst();
      if (Number((await update()).numUpdatedRows) > 0) return;
      try {
        await db
          .insertInto('cloudonix_connections')
          .values({ tenant_id: tenantId, api_key_sealed: sealed, key_hint: hint, verify_unknown_sessions: verifyUnknownSessions ? 1 : 0, created_at: now, updated_at: now })
          .execute();
      } catch (err) {
        // Another request created the row meanwhile: this one's key is the later word.
        if (!dialect.isUniqueViolation(err)) throw err;
        await update();
      }
    },

    /** Changes the option of an existing connection; false when there is none. */
    async setVerifyUnknownSessions(tenantId: number, verify: boolean, now: number): Promise<boolean> {
      const r = await db.updateTable('cloudonix_connections').set({ verify_unknown_sessions: verify ? 1 : 0, updated_at: now }).where('tenant_id', '=', tenantId).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    /** What domain setup did: the voice application it made or adopted, and when. */
    async recordSetup(tenantId: number, applicationId: number | null, now: number): Promise<void> {
      await db.updateTable('cloudonix_connections').set({ application_id: applicationId, last_setup_at: now, updated_at: now }).where('tenant_id', '=', tenantId).execute();
    },

    /** True when there was a connection to remove. */
    async remove(tenantId: number): Promise<boolean> {
      const r = await db.deleteFrom('cloudonix_connections').where('tenant_id', '=', tenantId).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}
export type CloudonixConnectionStore = ReturnType<typeof createCloudonixConnectionStore>;
