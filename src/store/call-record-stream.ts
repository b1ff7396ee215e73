import type { Store } from './database.js';
import { filterCallRecords, type CallRecordFilter } from './call-records.js';

/** The columns an export can hold: a call record without its decision trace, with agent and group names. */
export interface ExportableCallRecord {
  id: number;
  session_token: string;
  direction: string;
  from_number: string | null;
  to_number: string | null;
  status: string;
  outcome_reason: string | null;
  agent_id: number | null;
  agent_name: string | null;
  group_id: number | null;
  group_name: string | null;
  attempt: number;
  disposition: string | null;
  started_at: number;
  answered_at: number | null;
  ended_at: number | null;
  duration_seconds: number | null;
  billsec: number | null;
  /** 1: a test call the console placed (migration 0018). */
  is_test: number;
}

/**
 * Reads a tenant's filtered call records in id order, one page at a time (keyset
 * pagination: `id > last` over the (tenant_id, id) index), so an export of a
 * million rows never holds more than one page. The filters are the list's own (`filterCallRecords`).
 */
export function createCallRecordStream({ db }: Store) {
  const filtered = (tenantId: number, f: CallRecordFilter) => filterCallRecords(db, tenantId, f);

  return {
    /**
     * How many records match, and the highest matching id: the export stops there,
     * so calls recorded while it runs do not make it chase a moving end.
     */
    async scope(tenantId: number, f: CallRecordFilter): Promise<{ total: number; maxId: number }> {
      const row = await filtered(tenantId, f)
        .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('r.id').as('max_id')])
        .executeTakeFirstOrThrow();
      return { total: Number(row.n), maxId: row.max_id === null ? 0 : Number(row.max_id) };
    },

    /** Up to `limit` matching records with `afterId < id <= upToId`, in id order. */
    async page(tenantId: number, f: CallRecordFilter, afterId: number, upToId: number, limit: number): Promise<ExportableCallRecord[]> {
      const rows = await filtered(tenantId, f)
        .where('r.id', '>', afterId)
        .where('r.id', '<=', upToId)
        .leftJoin('voice_agents as a', (j) => j.onRef('a.id', '=', 'r.agent_id').onRef('a.tenant_id', '=', 'r.tenant_id'))
        .leftJoin('agent_groups as g', (j) => j.onRef('g.id', '=', 'r.group_id').onRef('g.tenant_id', '=', 'r.tenant_id'))
        .select([
          'r.id',
          'r.session_token',
          'r.direction',
          'r.from_number',
          'r.to_number',
          'r.status',
          'r.outcome_reason',
          'r.agent_id',
          'a.name as agent_name',
          'r.group_id',
          'g.name as group_name',
          'r.attempt',
          'r.disposition',
          'r.started_at',
          'r.answered_at',
          'r.ended_at',
          'r.duration_seconds',
          'r.billsec',
          'r.is_test',
        ])
        .orderBy('r.id')
        .limit(limit)
        .execute();
      return rows;
    },
  };
}
export type CallRecordStream = ReturnType<typeof createCallRecordStream>;
