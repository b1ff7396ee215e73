import { sql, type Selectable } from 'kysely';
import { numberContainsDigits } from './call-records.js';
import { cappedCount, type CappedTotal } from './capped-count.js';
import type { Store } from './database.js';
import type { CdrsTable } from './schema.js';

export type CdrRow = Selectable<CdrsTable>;

/** Filters of the CDR list; times are a half-open range [receivedFrom, receivedBefore). */
export interface CdrFilter {
  fromDigits?: string | undefined;
  toDigits?: string | undefined;
  /** Letter-only spellings of one disposition (e.g. answer, answered), lower case. */
  dispositionSpellings?: readonly string[] | undefined;
  sessionToken?: string | undefined;
  receivedFrom?: number | undefined;
  receivedBefore?: number | undefined;
}

/** Call detail records as Cloudonix delivered them, joined to our call by session token. */
export function createCdrStore({ db, dialect }: Store) {
  return {
    insert(values: Omit<CdrRow, 'id'>, trx = db): Promise<number> {
      return dialect.insertId(trx, 'cdrs', values);
    },
    /** The new CDR's id, or undefined when the tenant already has one with its natural key (a redelivery). */
    insertUnlessDuplicate(values: Omit<CdrRow, 'id'>, trx = db): Promise<number | undefined> {
      return dialect.insertIdUnlessDuplicate(trx, 'cdrs', values);
    },
    listForSession(tenantId: number, sessionToken: string): Promise<CdrRow[]> {
      return db.selectFrom('cdrs').selectAll().where('tenant_id', '=', tenantId).where('session_token', '=', sessionToken).orderBy('id').execute();
    },
    findById(tenantId: number, id: number): Promise<CdrRow | undefined> {
      return db.selectFrom('cdrs').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    },
    /** One page, newest first, without the raw payloads (the detail has them), and the total. */
    async list(tenantId: number, q: CdrFilter & { page: number; perPage: number }): Promise<{ rows: Omit<CdrRow, 'payload' | 'dedupe_key'>[] } & CappedTotal> {
      let base = db.selectFrom('cdrs').where('tenant_id', '=', tenantId);
      if (q.sessionToken !== undefined) base = base.where('session_token', '=', q.sessionToken);
      if (q.receivedFrom !== undefined) base = base.where('received_at', '>=', q.receivedFrom);
      if (q.receivedBefore !== undefined) base = base.where('received_at', '<', q.receivedBefore);
      const { fromDigits, toDigits, dispositionSpellings } = q;
      if (fromDigits) base = base.where((eb) => numberContainsDigits(eb.ref('from_number'), fromDigits));
      if (toDigits) base = base.where((eb) => numberContainsDigits(eb.ref('to_number'), toDigits));
      if (dispositionSpellings && dispositionSpellings.length > 0) {
        // The raw word is kept as Cloudonix sent it (ANSWER, No Answer, ...): compare its letters, lower-cased.
        const letters = sql<string>`lower(replace(replace(replace(disposition, ' ', ''), '_', ''), '-', ''))`;
        base = base.where(letters, 'in', [...dispositionSpellings]);
      }
      const [rows, count] = await Promise.all([
        base
          .select(['id', 'tenant_id', 'call_record_id', 'session_token', 'call_id', 'from_number', 'to_number', 'disposition', 'duration_seconds', 'billsec', 'received_at'])
          .orderBy('received_at', 'desc')
          .orderBy('id', 'desc')
          .limit(q.perPage)
          .offset((q.page - 1) * q.perPage)
          .execute(),
        cappedCount(db, base),
      ]);
      return { rows, ...count };
    },
  };
}
export type CdrStore = ReturnType<typeof createCdrStore>;
