import type { CallStory } from './tell-story.js';

/** An agent answered a call that is now over, after `billsec` billed seconds. */
export interface AnsweredEnd {
  readonly agentId: number;
  readonly billsec: number;
}

/**
 * The call's answered end when the change from `before` (null: a new call) to `after` is the
 * first that shows it: ended, answered by an agent, and its billed seconds known (from the CDR,
 * or from the answer and end times a session update gave). Exactly one write of a call says
 * so, however often or late its webhooks come; a CDR that later corrects billsec does not
 * count the call again. Null otherwise. Pure.
 */
export function answeredEndOf(before: CallStory | null, after: CallStory): AnsweredEnd | null {
  if (!known(after)) return null;
  if (before && known(before)) return null;
  return { agentId: after.answeringAgentId!, billsec: after.billsec! };
}

const known = (s: CallStory): boolean => s.ended && s.answered && s.answeringAgentId !== null && s.billsec !== null;

/** A tenant's short-call thresholds (settings.health). */
export interface ShortCallPolicy {
  readonly short_calls_enabled: boolean;
  /** An answered call billed fewer seconds than this is short. */
  readonly short_call_seconds: number;
  /** Answered calls that must have ended in the window before any verdict. */
  readonly short_call_min_calls: number;
  readonly short_call_window_minutes: number;
  /** The share of those that were short (0–1) that takes the agent out. */
  readonly short_call_share: number;
}

/** Whether an answered call was short: the agent answered and dropped it. Pure. */
export const isShortAnswer = (end: AnsweredEnd, policy: Pick<ShortCallPolicy, 'short_call_seconds'>): boolean => end.billsec < policy.short_call_seconds;

/** What the answered calls an agent ended in the window say: out (answers and drops calls) or fine. */
export type ShortCallVerdict = { readonly kind: 'out'; readonly short: number; readonly answered: number } | { readonly kind: 'fine' };

/**
 * Out when at least `short_call_min_calls` answered calls ended in the window and at least
 * `short_call_share` of them were short; a lone short call, or many calls of which few were
 * short, is fine. Never out when the feature is off. Pure.
 */
export function shortCallVerdict(counts: { readonly answered: number; readonly short: number }, policy: ShortCallPolicy): ShortCallVerdict {
  const answered = Math.max(counts.answered, counts.short);
  if (!policy.short_calls_enabled || answered === 0 || answered < policy.short_call_min_calls) return { kind: 'fine' };
  // Compared as whole numbers so 0.6 of 10 is exactly 6, not 5.999….
  return counts.short * 1000 >= Math.round(policy.short_call_share * 1000) * answered ? { kind: 'out', short: counts.short, answered } : { kind: 'fine' };
}
