import { NO_FACTS, type CallEvent, type CallFacts } from '../../core/lifecycle/call-event.js';
import { foldCall } from '../../core/lifecycle/fold-call.js';
import { isTerminal, type CallState } from '../../core/routing/call-state.js';
import type { FactsRow } from '../../store/call-records.js';
import { readJson } from '../../store/json-column.js';

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

/**
 * A stored call's facts. Records written before the facts were kept have none:
 * theirs are rebuilt from the columns, so later webhooks of such a call still
 * fold onto what the record says.
 */
export function factsOfRow(row: Omit<FactsRow, 'id' | 'session_token'>): CallFacts {
  if (row.facts !== null) return readJson<CallFacts>(row.facts, NO_FACTS);
  const events: CallEvent[] = [];
  const started = Number(row.started_at);
  if (row.agent_id !== null) events.push({ kind: 'answer', step: 0, at: started, act: 'dial', attempt: Math.max(1, Number(row.attempt)), agentId: Number(row.agent_id), fallback: null });
  const answeredAt = num(row.answered_at);
  const endedAt = num(row.ended_at);
  const status = row.status as CallState;
  if (row.disposition !== null) {
    events.push({ kind: 'cdr', disposition: row.disposition, billsec: num(row.billsec), durationSeconds: num(row.duration_seconds), startedAt: started, answeredAt, endedAt });
  } else if (isTerminal(status)) {
    const word = status === 'completed' ? 'connected' : status === 'no_answer' ? 'noanswer' : status;
    events.push({ kind: 'session', status: word, startedAt: started, answeredAt, endedAt: endedAt ?? Number(row.updated_at) });
  } else if (status === 'connected' || status === 'connecting') {
    events.push({ kind: 'session', status: status === 'connected' ? 'connected' : 'ringing', startedAt: started, answeredAt, endedAt: null });
  }
  return foldCall(events);
}
