import { openStore } from '../../src/store/database.js';
import type { PlayedCall } from './call-load.js';

/**
 * What the database holds after a run, against what the service acknowledged:
 * every call whose voice request was answered with CXML has exactly one call record;
 * every acknowledged CDR is stored exactly once and its call is closed; every
 * acknowledged session update (by its eventId) is on the call's timeline once.
 * Read after the writes settle: batched rows are polled for until nothing changes.
 */
export interface RecordCheck {
  callsExpected: number;
  callsFound: number;
  callsDuplicated: number;
  /** Calls that dialled an agent whose record's decision trace names that agent first (a record rebuilt from later events would not). */
  decisionsExpected: number;
  decisionsFound: number;
  cdrsExpected: number;
  cdrsFoundOnce: number;
  cdrsDuplicated: number;
  /** Calls whose CDR was acknowledged but whose record has no end. */
  notClosed: number;
  updatesExpected: number;
  updatesFound: number;
  /** Rotation counters (decision trace) used by more than one call: a decision taken twice. */
  rotationCountersReused: number;
  /** The first agent each call's record names, by agent id (fairness from the database's side). */
  agentsInRecords: Map<number, number>;
  sampleMissing: string[];
}

const countsOf = (values: readonly (string | null)[]) => {
  const m = new Map<string, number>();
  for (const v of values) if (v !== null) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
};

export async function checkRecords(databaseUrl: string, tenantDomain: string, calls: readonly PlayedCall[], agentIdOf: (label: string) => number | undefined, settleMs = 15_000): Promise<RecordCheck> {
  const store = openStore(databaseUrl);
  try {
    const tenant = await store.db.selectFrom('tenants').select('id').where('domain', '=', tenantDomain).executeTakeFirstOrThrow();
    const read = async () => {
      const records = await store.db.selectFrom('call_records').select(['id', 'session_token', 'ended_at', 'decision_trace']).where('tenant_id', '=', tenant.id).execute();
      const cdrs = await store.db.selectFrom('cdrs').select('session_token').where('tenant_id', '=', tenant.id).execute();
      const events = await store.db.selectFrom('call_events').select('event_id').where('tenant_id', '=', tenant.id).where('event_id', 'is not', null).execute();
      return { records, cdrs, events };
    };
    // Batched writes land shortly after their answers: wait until two reads a second apart agree.
    let rows = await read();
    for (const deadline = Date.now() + settleMs; Date.now() < deadline; ) {
      await new Promise((r) => setTimeout(r, 1000));
      const again = await read();
      const same = again.records.length === rows.records.length && again.cdrs.length === rows.cdrs.length && again.events.length === rows.events.length;
      rows = again;
      if (same) break;
    }
    const recordCount = countsOf(rows.records.map((r) => r.session_token));
    const cdrCount = countsOf(rows.cdrs.map((c) => c.session_token));
    const eventCount = countsOf(rows.events.map((e) => e.event_id));
    const bySession = new Map(rows.records.map((r) => [r.session_token, r]));

    const check: RecordCheck = {
      callsExpected: 0,
      callsFound: 0,
      callsDuplicated: 0,
      decisionsExpected: 0,
      decisionsFound: 0,
      cdrsExpected: 0,
      cdrsFoundOnce: 0,
      cdrsDuplicated: 0,
      notClosed: 0,
      updatesExpected: 0,
      updatesFound: 0,
      rotationCountersReused: 0,
      agentsInRecords: new Map(),
      sampleMissing: [],
    };
    const missing = (what: string) => {
      if (check.sampleMissing.length < 5) check.sampleMissing.push(what);
    };
    for (const c of calls) {
      if (c.voiceAcked) {
        check.callsExpected += 1;
        const n = recordCount.get(c.session) ?? 0;
        if (n >= 1) check.callsFound += 1;
        else missing(`record of ${c.session} (${c.scenario})`);
        if (n > 1) check.callsDuplicated += 1;
      }
      if (c.cdrAcked) {
        check.cdrsExpected += 1;
        const n = cdrCount.get(c.session) ?? 0;
        if (n === 1) check.cdrsFoundOnce += 1;
        else if (n === 0) missing(`CDR of ${c.session} (${c.scenario})`);
        if (n > 1) check.cdrsDuplicated += 1;
        if (bySession.get(c.session)?.ended_at == null) check.notClosed += 1;
      }
      check.updatesExpected += c.ackedEventIds.length;
      for (const id of c.ackedEventIds) {
        if ((eventCount.get(id) ?? 0) === 1) check.updatesFound += 1;
        else missing(`session update ${id} of ${c.session}`);
      }
    }
    const traceOf = (r: (typeof rows.records)[number]) => {
      const raw: unknown = typeof r.decision_trace === 'string' ? JSON.parse(r.decision_trace) : r.decision_trace;
      return raw as { rotation_counter?: unknown; candidates?: unknown[] } | null;
    };
    for (const c of calls) {
      if (!c.firstLeg) continue;
      check.decisionsExpected += 1;
      const record = bySession.get(c.session);
      if (record && traceOf(record)?.candidates?.[0] === agentIdOf(c.firstLeg)) check.decisionsFound += 1;
      else missing(`decision of ${c.session} (told ${c.firstLeg})`);
    }
    const counters = new Map<number, number>();
    for (const r of rows.records) {
      const trace = traceOf(r);
      if (typeof trace?.rotation_counter === 'number') counters.set(trace.rotation_counter, (counters.get(trace.rotation_counter) ?? 0) + 1);
      const firstAgent = trace?.candidates?.[0];
      if (typeof firstAgent === 'number') check.agentsInRecords.set(firstAgent, (check.agentsInRecords.get(firstAgent) ?? 0) + 1);
    }
    check.rotationCountersReused = [...counters.values()].filter((n) => n > 1).length;
    return check;
  } finally {
    await store.close();
  }
}
