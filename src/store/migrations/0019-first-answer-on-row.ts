import { sql, type Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

/**
 * A routed call's first write no longer stores its first timeline entries as rows
 * (issue 23): `call.received` and the first answer are told from the record when the
 * timeline is read (core/lifecycle/first-timeline.ts). The record keeps the one thing
 * the row does not already say, the first answer's payload, in `first_answer`; a record
 * with it is one whose first entries are derived. Every existing record has its rows and
 * gets null, so its timeline reads exactly as before and no data moves.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('call_records').addColumn('first_answer', columnTypes(db).json).execute();
}

interface DerivedRecord {
  id: number;
  tenant_id: number;
  created_at: number | string;
  facts: unknown;
  first_answer: unknown;
}

type StepZero = { act?: string; fallback?: string | null } | undefined;

/**
 * The first entries of a record written with `first_answer`, as the rows the code before
 * this migration wrote (the statuses core/lifecycle's story gives a step-0 answer alone;
 * test/store/first-answer-migration.test.ts checks them against it).
 */
export function firstRowsOf(r: DerivedRecord): { event_type: string; from_status: string | null; to_status: string; payload: string | null; occurred_at: number }[] {
  const facts = (typeof r.facts === 'string' ? JSON.parse(r.facts) : r.facts) as { answers?: Record<string, StepZero> } | null;
  const answer = facts?.answers?.['0'];
  if (!answer) return [];
  const at = Number(r.created_at);
  const dial = answer.act === 'dial';
  const payload = typeof r.first_answer === 'string' ? r.first_answer : JSON.stringify(r.first_answer);
  return [
    { event_type: 'call.received', from_status: null, to_status: 'received', payload: null, occurred_at: at },
    { event_type: dial ? 'call.connecting' : 'call.unrouted', from_status: 'received', to_status: dial ? 'connecting' : answer.fallback ? 'fallback' : 'no_answer', payload, occurred_at: at },
  ];
}

/** Back to rows: each derived record's first entries are written as the rows they were, then the column goes. */
export async function down(db: Kysely<unknown>): Promise<void> {
  const q = db as unknown as Kysely<{ call_records: DerivedRecord; call_events: { tenant_id: number; call_record_id: number; event_id: string | null; event_type: string; from_status: string | null; to_status: string | null; payload: string | null; occurred_at: number } }>;
  for (let after = 0; ; ) {
    const rows = await q.selectFrom('call_records').select(['id', 'tenant_id', 'created_at', 'facts', 'first_answer']).where(sql.ref('first_answer'), 'is not', null).where('id', '>', after).orderBy('id').limit(500).execute();
    if (rows.length === 0) break;
    const events = rows.flatMap((r) => firstRowsOf(r).map((e) => ({ ...e, tenant_id: Number(r.tenant_id), call_record_id: Number(r.id), event_id: null })));
    if (events.length > 0) await q.insertInto('call_events').values(events).execute();
    after = Number(rows[rows.length - 1]!.id);
  }
  await db.schema.alterTable('call_records').dropColumn('first_answer').execute();
}
