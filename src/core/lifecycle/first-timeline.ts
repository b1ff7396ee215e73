import { NO_FACTS, type CallFacts } from './call-event.js';
import { tellStory } from './tell-story.js';

/** One entry of a call's timeline as it is shown, without the row id it may not have. */
export interface TimelineEntry {
  event_type: string;
  from_status: string | null;
  to_status: string | null;
  payload: unknown;
  occurred_at: number;
}

/** What a routed call's first write keeps on its row to tell the timeline it no longer stores. */
export interface FirstWrite {
  /** The row's created_at: the instant of the first write. */
  createdAt: number;
  /** The row's facts: their step-0 answer is the first write's answer (a duplicate one is refused). */
  facts: CallFacts;
  /** The payload of the first answer's entry, as it was written (call_records.first_answer). */
  answerPayload: unknown;
}

/** The timeline entry a step-0 answer is shown as (what voice-flow's `answered` names it). */
export const firstAnswerEventType = (act: 'dial' | 'end'): string => (act === 'dial' ? 'call.connecting' : 'call.unrouted');

/**
 * The timeline entries a routed call's first write implies, which it no longer writes as
 * rows: `call.received`, then its first answer (`call.connecting` or `call.unrouted`), both
 * at the first write's instant, exactly as the rows written before showed them. Empty when
 * the facts hold no step-0 answer (then the row is not of that shape).
 */
export function firstTimeline(first: FirstWrite): TimelineEntry[] {
  const answer = first.facts.answers['0'];
  if (!answer) return [];
  const received = tellStory(NO_FACTS).status;
  const answered = tellStory(Object.assign({}, NO_FACTS, { answers: { '0': answer } })).status;
  return [
    { event_type: 'call.received', from_status: null, to_status: received, payload: null, occurred_at: first.createdAt },
    { event_type: firstAnswerEventType(answer.act), from_status: received, to_status: answered, payload: first.answerPayload, occurred_at: first.createdAt },
  ];
}

/**
 * Stored entries (ordered by time, then id) with the derived ones of the first write put where
 * their rows sorted: before every stored entry of the same or a later instant (they had the lowest ids).
 */
export function withFirstTimeline<E extends { occurred_at: number }>(stored: readonly E[], derived: readonly E[]): E[] {
  if (derived.length === 0) return [...stored];
  const at = derived[0]!.occurred_at;
  const cut = stored.findIndex((e) => e.occurred_at >= at);
  const i = cut === -1 ? stored.length : cut;
  return [...stored.slice(0, i), ...derived, ...stored.slice(i)];
}
