import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Store } from './database.js';
import type { Database } from './schema.js';

/**
 * Finding and rewriting the rows that hold one phone number, for erasure.
 * Numbers are kept as received (`+1 (415) 555-0123`, `sip:+14155550123@host`),
 * so SQL only narrows the candidates and the caller compares normalised digits.
 * Candidates come in pages keyed by id, so a number in many rows never loads at once.
 */
export interface NumberCandidates {
  /** Normalised digits, e.g. `14155550123`. */
  digits: string;
  afterId: number;
  limit: number;
}

/** Every digit in order, anything between: true for every text whose digits equal `digits`. */
function digitsInOrder(column: Expression<unknown>, digits: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`${column} like ${`%${digits.split('').join('%')}%`}`;
}

/** The digits side by side, the way Cloudonix writes numbers into payloads and URLs. */
function containsDigits(column: Expression<unknown>, digits: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`${column} like ${`%${digits}%`}`;
}

export function createPrivacyStore({ db, dialect }: Store) {
  // jsonb has no LIKE of its own; its text form holds the same characters.
  const jsonText = (column: string): Expression<unknown> => (dialect.name === 'postgres' ? sql`cast(${sql.ref(column)} as text)` : sql.ref(column));

  return {
    callRecordCandidates(tenantId: number, q: NumberCandidates) {
      return db
        .selectFrom('call_records')
        .select(['id', 'from_number', 'to_number', 'decision_trace'])
        .where('tenant_id', '=', tenantId)
        .where('id', '>', q.afterId)
        .where((eb) => eb.or([digitsInOrder(eb.ref('from_number'), q.digits), digitsInOrder(eb.ref('to_number'), q.digits)]))
        .orderBy('id')
        .limit(q.limit)
        .execute();
    },
    cdrCandidates(tenantId: number, q: NumberCandidates) {
      return db
        .selectFrom('cdrs')
        .select(['id', 'from_number', 'to_number', 'payload'])
        .where('tenant_id', '=', tenantId)
        .where('id', '>', q.afterId)
        .where((eb) =>
          eb.or([digitsInOrder(eb.ref('from_number'), q.digits), digitsInOrder(eb.ref('to_number'), q.digits), containsDigits(jsonText('payload'), q.digits)]),
        )
        .orderBy('id')
        .limit(q.limit)
        .execute();
    },
    webhookAuditCandidates(tenantId: number, q: NumberCandidates) {
      return db
        .selectFrom('webhook_audit')
        .select(['id', 'path', 'payload'])
        .where('tenant_id', '=', tenantId)
        .where('id', '>', q.afterId)
        .where((eb) => eb.or([containsDigits(eb.ref('path'), q.digits), containsDigits(jsonText('payload'), q.digits)]))
        .orderBy('id')
        .limit(q.limit)
        .execute();
    },
    async updateCallRecord(tenantId: number, id: number, values: { from_number: string | null; to_number: string | null; decision_trace: string | null; updated_at: number }, trx: Kysely<Database>) {
      await trx.updateTable('call_records').set(values).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },
    async updateCdr(tenantId: number, id: number, values: { from_number: string | null; to_number: string | null; payload: string }, trx: Kysely<Database>) {
      await trx.updateTable('cdrs').set(values).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },
    async updateWebhookAudit(tenantId: number, id: number, values: { path: string; payload: string | null }, trx: Kysely<Database>) {
      await trx.updateTable('webhook_audit').set(values).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },
  };
}
export type PrivacyStore = ReturnType<typeof createPrivacyStore>;
