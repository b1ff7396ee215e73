import { CompiledQuery, type Kysely } from 'kysely';
import { ROLLUP_COUNTERS, type RollupEntry } from '../core/stats/rollup-contribution.js';
import { perCount } from './bulk-statements.js';
import { CALL_RECORD_COLUMNS, type CallRecordRow } from './call-records.js';
import { preparedOnPostgres } from './dialect-pg-prepared.js';
import type { Database } from './schema.js';

type NewRecord = Omit<CallRecordRow, 'id'>;

/** A new call's record and what it adds to its day's roll-up (written only if its record is). */
export interface RecordWithRollup {
  record: NewRecord;
  rollup?: readonly RollupEntry[] | undefined;
}

/** The roll-up input's columns and their types (PostgreSQL types bare parameters of a VALUES list from its first row). */
const ENTRY_COLUMNS = ['tenant_id', 'day', 'agent_id', 'group_id', 'session_token', ...ROLLUP_COUNTERS, 'updated_at'] as const;
const ENTRY_TYPES: Record<string, string> = { tenant_id: 'integer', day: 'varchar', agent_id: 'integer', group_id: 'integer', session_token: 'varchar', duration_sum: 'bigint', updated_at: 'bigint' };

/**
 * The text for `calls` records and `entries` roll-up entries. The roll-up joins the rows the
 * INSERT returned, so a session already recorded adds nothing, and sums per row key (an upsert
 * may touch a row once). The roll-up's SELECT is parenthesised so the statement never reads
 * as a plain read to retrying-reads.ts.
 */
function statementText(calls: number, entries: number): string {
  let p = 0;
  const records = Array.from({ length: calls }, () => `(${CALL_RECORD_COLUMNS.map(() => `$${++p}`).join(', ')})`).join(', ');
  const inserted = `new_calls as (insert into call_records (${CALL_RECORD_COLUMNS.map((c) => `"${c}"`).join(', ')}) values ${records} on conflict do nothing returning id, tenant_id, session_token)`;
  if (entries === 0) return `with ${inserted} table new_calls`;
  const values = Array.from({ length: entries }, (_, i) => `(${ENTRY_COLUMNS.map((c) => (i === 0 ? `$${++p}::${ENTRY_TYPES[c] ?? 'integer'}` : `$${++p}`)).join(', ')})`).join(', ');
  const counters = ROLLUP_COUNTERS.join(', ');
  const added =
    `added as (insert into call_daily_rollups (tenant_id, day, agent_id, group_id, ${counters}, updated_at) (select e.tenant_id, e.day, e.agent_id, e.group_id, ` +
    `${ROLLUP_COUNTERS.map((c) => `sum(e.${c})`).join(', ')}, max(e.updated_at) from (values ${values}) as e(${ENTRY_COLUMNS.join(', ')}) ` +
    `join new_calls n on n.tenant_id = e.tenant_id and n.session_token = e.session_token group by e.tenant_id, e.day, e.agent_id, e.group_id) ` +
    `on conflict (tenant_id, day, agent_id, group_id) do update set ${ROLLUP_COUNTERS.map((c) => `${c} = call_daily_rollups.${c} + excluded.${c}`).join(', ')}, updated_at = excluded.updated_at)`;
  return `with ${inserted}, ${added} table new_calls`;
}

const keyOf = (tenantId: number | string, sessionToken: string) => `${tenantId} ${sessionToken}`;

/**
 * New routed calls on PostgreSQL in one statement: their records (sessions already recorded,
 * or repeated earlier in the batch, skipped) and their roll-up additions, which a single
 * statement commits together or not at all. One round trip instead of four (BEGIN, the
 * records, the roll-up, COMMIT), run as a named statement, so the server plans it once per
 * connection. Each call's new id, or undefined.
 */
export function createPostgresRoutedCallWrite(db: Kysely<Database>) {
  const texts = new Map<number, (entries: number) => string>();
  const textFor = (calls: number, entries: number): string => {
    let byEntries = texts.get(calls);
    if (!byEntries) texts.set(calls, (byEntries = perCount((m) => preparedOnPostgres(statementText(calls, m)))));
    return byEntries(entries);
  };

  return async (calls: readonly RecordWithRollup[]): Promise<(number | undefined)[]> => {
    const seen = new Set<string>();
    const fresh = calls.filter((c) => {
      const key = keyOf(c.record.tenant_id, c.record.session_token);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const parameters: unknown[] = [];
    for (const { record } of fresh) for (const c of CALL_RECORD_COLUMNS) parameters.push(record[c] ?? null);
    let entries = 0;
    for (const { record, rollup } of fresh) {
      for (const e of rollup ?? []) {
        if (!ROLLUP_COUNTERS.some((c) => e.counts[c] !== 0)) continue;
        entries++;
        parameters.push(e.tenantId, e.day, e.agentId, e.groupId, record.session_token);
        for (const c of ROLLUP_COUNTERS) parameters.push(e.counts[c]);
        parameters.push(record.updated_at);
      }
    }
    const result = await db.executeQuery<{ id: number | string; tenant_id: number | string; session_token: string }>(CompiledQuery.raw(textFor(fresh.length, entries), parameters));
    const created = new Map(result.rows.map((r) => [keyOf(Number(r.tenant_id), r.session_token), Number(r.id)]));
    const freshSet = new Set(fresh);
    return calls.map((c) => (freshSet.has(c) ? created.get(keyOf(c.record.tenant_id, c.record.session_token)) : undefined));
  };
}
