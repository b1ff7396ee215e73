import { healthVerdict } from './next-step.js';
import type { OutcomeReason } from './outcome-reason.js';
import type { CallStory } from './tell-story.js';

/** What a change of a call's story asks of the live state (slots and agent health). */
export interface StoryEffects {
  /** Agents whose live-call slot this call no longer holds. */
  readonly release: readonly number[];
  /** Agents whose Dial result newly counts against their health. */
  readonly faults: readonly number[];
  /** An agent that newly answered this call: back in good standing. */
  readonly credit: number | null;
}

/**
 * The agents a call holds a slot on: none once it ended; after a hand-off, only the agent
 * it was handed to (none for a number); else those dialled whose attempt is not over.
 */
function holding(story: CallStory | null): Set<number> {
  const out = new Set<number>();
  if (!story || story.ended) return out;
  const takenOver = story.handoffs[story.handoffs.length - 1];
  if (takenOver) {
    if (takenOver.agentId !== null) out.add(takenOver.agentId);
    return out;
  }
  for (const a of story.attempts) {
    if (a.agentId !== null && (a.outcome === null || a.outcome === 'in_progress' || a.outcome === 'answered')) out.add(a.agentId);
  }
  return out;
}

/** Every agent the call was ever sent to: dialled by routing or handed to by an admin. */
function everyAgent(story: CallStory): Set<number> {
  const out = new Set<number>();
  for (const a of story.attempts) if (a.agentId !== null) out.add(a.agentId);
  for (const h of story.handoffs) if (h.agentId !== null) out.add(h.agentId);
  return out;
}

/**
 * The effects of a story going from `before` (null: the call is new) to `after`.
 * Slots and health follow the story, never a single webhook, so a repeated or
 * late event has no effect of its own. Pure.
 */
export function storyEffects(before: CallStory | null, after: CallStory): StoryEffects {
  const holds = holding(after);
  const release = new Set([...holding(before)].filter((id) => !holds.has(id)));
  // Once the call ends, every agent it ever dialled is free of it (releasing twice is harmless); so is
  // one whose attempt is learned only after the end (a routing write held while the database was away).
  if (after.ended && (!before?.ended || after.attempts.length !== before.attempts.length || after.handoffs.length !== before.handoffs.length)) for (const id of everyAgent(after)) release.add(id);
  const judged = new Set(before?.attempts.filter((a) => a.outcome !== null).map((a) => a.attempt) ?? []);
  const faults = after.attempts.flatMap((a) => (a.agentId !== null && a.outcome !== null && !judged.has(a.attempt) && healthVerdict(a.outcome) === 'fault' ? [a.agentId] : []));
  const credit = after.answeringAgentId !== null && after.answeringAgentId !== before?.answeringAgentId ? after.answeringAgentId : null;
  return { release: [...release].sort((a, b) => a - b), faults, credit };
}

/**
 * What an event already stored (a redelivery) still asks of the live state: once the call
 * has ended, no agent holds a slot for it. A webhook whose commit went through while its
 * answer was lost (a connection reset at COMMIT) is retried and found a duplicate; the
 * release that commit asked for happens then. `claimed`: agents the repeated request
 * claimed a slot on before it was found a repeat (a routing request answered again after
 * its answer key expired); each is released unless the stored story holds it.
 * Releasing twice is harmless. Pure.
 */
export function repeatEffects(story: CallStory, claimed: readonly number[] = []): StoryEffects {
  const release = new Set(story.ended ? everyAgent(story) : []);
  const holds = holding(story);
  for (const id of claimed) if (!holds.has(id)) release.add(id);
  return { release: [...release].sort((a, b) => a - b), faults: [], credit: null };
}

/** How a call ended: the story's reason, and the agent that answered (else the last dialled). */
export interface CallEnd {
  readonly outcome: OutcomeReason;
  readonly agentId: number | null;
}

/**
 * The call's end when the change from `before` (null: a new call) to `after` is the one
 * that ended it; null otherwise. Writes of one call are applied one at a time, so exactly
 * one of them ends it, however often or late its webhooks come: a count of calls ended. Pure.
 */
export function endOf(before: CallStory | null, after: CallStory): CallEnd | null {
  if (!after.ended || before?.ended || after.reason === null) return null;
  return { outcome: after.reason, agentId: after.agentId };
}
