import type { DialOutcome } from '../routing/call-status.js';
import { NO_FACTS, SESSION_PROGRESS, type CallEvent, type CallFacts, type CdrFact, type SessionFailure } from './call-event.js';

const letters = (raw: string | null): string => (raw ?? '').toLowerCase().replace(/[^a-z]/g, '');

/** Session-update statuses (shared/cloudonix.md §4.3) as progress; unknown words (e.g. `external`) add nothing. */
const PROGRESS_OF: Readonly<Record<string, number>> = {
  processing: SESSION_PROGRESS.processing,
  new: SESSION_PROGRESS.processing,
  ringing: SESSION_PROGRESS.ringing,
  connected: SESSION_PROGRESS.connected,
  answer: SESSION_PROGRESS.connected,
  answered: SESSION_PROGRESS.connected,
};

/** Session-update failure words: a report about one leg, not the end of the call. */
const FAILURE_OF: Readonly<Record<string, SessionFailure>> = {
  busy: 'busy',
  noanswer: 'no_answer',
  timeout: 'no_answer',
  cancel: 'canceled',
  canceled: 'canceled',
  cancelled: 'canceled',
  rejected: 'declined',
  declined: 'declined',
  denied: 'declined',
  failed: 'failed',
  error: 'failed',
  congestion: 'failed',
  nocredit: 'failed',
};

/**
 * `record` with `key` set to `value`, as a new object. Not `Object.assign({}, record, { [key]: value })`:
 * the computed-key literal (a numeric key, so an elements store) costs about as much as the rest of a fold.
 */
function withEntry<V>(record: Readonly<Record<string, V>>, key: string, value: V): Record<string, V> {
  const out: Record<string, V> = Object.assign({}, record);
  out[key] = value;
  return out;
}

/** When one attempt is reported twice with different words, the stronger one is kept (a fixed order). */
const RESULT_STRENGTH: Readonly<Record<DialOutcome, number>> = { answered: 6, busy: 5, canceled: 4, no_answer: 3, failed: 2, unknown: 1, in_progress: 0 };

const minTime = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const maxTime = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/** Flat objects as text with their keys sorted: stored JSON (jsonb) may come back in another key order. */
const canonical = (v: object) => JSON.stringify(v, Object.keys(v).sort());

/** A fixed total order on values, so a choice between two never depends on which came first. */
function firstByText<T extends object>(a: T, b: T): T {
  return canonical(a) <= canonical(b) ? a : b;
}

/** Two CDRs of one session: the one with more billed time, then more duration, then a fixed order. */
function strongerCdr(a: CdrFact, b: CdrFact): CdrFact {
  const rank = (c: CdrFact) => [c.billsec ?? -1, c.durationSeconds ?? -1] as const;
  const [ra, rb] = [rank(a), rank(b)];
  if (ra[0] !== rb[0]) return ra[0] > rb[0] ? a : b;
  if (ra[1] !== rb[1]) return ra[1] > rb[1] ? a : b;
  return firstByText(a, b);
}

/**
 * Adds one event to what is known of a call. A join: commutative, associative and
 * idempotent, so redelivered, late and reordered webhooks change nothing but what
 * they add. Never mutates its inputs.
 */
export function foldCallEvent(facts: CallFacts, event: CallEvent): CallFacts {
  switch (event.kind) {
    case 'answer': {
      const { kind: _kind, step, ...act } = event;
      const key = String(step);
      const had = facts.answers[key];
      return Object.assign({}, facts, { answers: withEntry(facts.answers, key, had ? firstByText(had, act) : act) });
    }
    case 'dial_result': {
      const key = String(event.attempt);
      const had = facts.results[key];
      const outcome = had === undefined || RESULT_STRENGTH[event.outcome] > RESULT_STRENGTH[had] ? event.outcome : had;
      return Object.assign({}, facts, { results: withEntry(facts.results, key, outcome) });
    }
    case 'session': {
      const word = letters(event.status);
      const s = facts.session;
      const failure = FAILURE_OF[word];
      return Object.assign({}, facts, {
        session: {
          progress: Math.max(s.progress, PROGRESS_OF[word] ?? SESSION_PROGRESS.none),
          failures: failure && !s.failures.includes(failure) ? [...s.failures, failure].sort() : s.failures,
          startedAt: minTime(s.startedAt, event.startedAt),
          answeredAt: minTime(s.answeredAt, event.answeredAt),
          endedAt: maxTime(s.endedAt, event.endedAt),
        },
      });
    }
    case 'cdr': {
      const { kind: _kind, ...cdr } = event;
      return Object.assign({}, facts, { cdr: facts.cdr ? strongerCdr(facts.cdr, cdr) : cdr });
    }
    case 'expired':
      return Object.assign({}, facts, { expiredAt: minTime(facts.expiredAt, event.at) });
    case 'closed':
      return Object.assign({}, facts, { closedAt: minTime(facts.closedAt ?? null, event.at) });
    case 'handoff': {
      const { kind: _kind, ...handoff } = event;
      // Keyed by number and time: two admins handing off at once both count, and the later one has the call.
      const key = `${handoff.seq}@${handoff.at}`;
      const had = facts.handoffs?.[key];
      return Object.assign({}, facts, { handoffs: withEntry(facts.handoffs ?? {}, key, had ? firstByText(had, handoff) : handoff) });
    }
  }
}

/** The facts of a whole list of events, in the order given (any order gives the same). */
export function foldCall(events: readonly CallEvent[], from: CallFacts = NO_FACTS): CallFacts {
  return events.reduce(foldCallEvent, from);
}
