import { z } from 'zod';
import { humanize } from '../../lib/format.js';

/**
 * A timeline event in words: what happened (`title`) and the facts that matter
 * (`detail`), read from the event's payload. Payloads are parsed leniently: an
 * older or unexpected one still gets a title, and the raw payload stays one click away.
 */
export interface CallEventText {
  title: string;
  detail: string | null;
}

interface EventInput {
  event_type: string;
  payload: unknown;
}

const fallbackTypeText: Readonly<Record<string, string>> = {
  hangup: 'hang up',
  message: 'play a message',
  number: 'forward to a number',
  agent: 'send to an agent',
  group: 'send to a group',
  reject: 'reject the call',
};

const fallbackReasonText: Readonly<Record<string, string>> = {
  no_rule: 'no rule matched',
  no_candidate: 'no agent available',
  attempts_exhausted: 'every attempt failed',
  target_missing: 'the rule’s target no longer exists',
  error: 'a routing error',
};

const dialOutcomeText: Readonly<Record<string, string>> = {
  answered: 'answered',
  busy: 'busy',
  no_answer: 'no answer',
  failed: 'failed',
  canceled: 'caller hung up while it rang',
  in_progress: 'still in progress',
  unknown: 'unknown',
};

/** Why we hung up after a Dial result (core/lifecycle/next-step.ts `NextStep.why`). */
const hangupText: Readonly<Record<string, string>> = {
  answered: 'Hung up after the agent’s call',
  caller_gone: 'Hung up: the caller had left',
  call_over: 'Hung up: the call was already over',
  outbound_done: 'Hung up: the outbound call is done',
  declined: 'Hung up: the agent declined (busy)',
  unknown_call: 'Hung up: a call this service did not route',
  handed_off: 'Hung up: the call had been handed off',
};

const routingPayload = z.object({
  rule: z.object({ pattern: z.string() }).nullable().optional().catch(null),
  agent_id: z.number().nullable().optional().catch(null),
  attempt: z.number().optional().catch(undefined),
  fallback: z.object({ type: z.string(), reason: z.string().optional() }).nullable().optional().catch(null),
  after: z.string().optional().catch(undefined),
});
const dialResultPayload = z.object({ outcome: z.string().optional().catch(undefined), attempt: z.number().optional().catch(undefined) });
const expiredPayload = z.object({ max_call_minutes: z.number().optional().catch(undefined) });
const sessionPayload = z.object({ status: z.string().nullable().optional().catch(null) });
const cdrPayload = z.object({ disposition: z.string().nullable().optional().catch(null) });
const handOffPayload = z.object({
  target_type: z.string().optional().catch(undefined),
  agent_id: z.number().nullable().optional().catch(null),
  number: z.string().nullable().optional().catch(null),
  from_agent_id: z.number().nullable().optional().catch(null),
});

/** An admin switched the call at Cloudonix to someone else (call control). */
function handOffText(payload: unknown, agentName: (id: number) => string): CallEventText {
  const p = parse(handOffPayload, payload);
  const to = p.agent_id ? agentName(p.agent_id) : (p.number ?? 'someone else');
  const via = p.target_type === 'group' ? 'picked from a group' : null;
  return { title: `Handed off to ${to}`, detail: joined([via, p.from_agent_id ? `from ${agentName(p.from_agent_id)}` : null, 'by an admin']) };
}

function parse<T>(schema: z.ZodType<T>, payload: unknown): Partial<T> {
  const parsed = schema.safeParse(payload ?? {});
  return parsed.success ? parsed.data : {};
}

const word = (table: Readonly<Record<string, string>>, key: string) => table[key] ?? humanize(key).toLowerCase();
const joined = (parts: readonly (string | null | undefined | false)[]) => parts.filter(Boolean).join(' · ') || null;

function fallbackText(fallback: { type: string; reason?: string | undefined } | null | undefined): string | null {
  if (!fallback) return null;
  return `fallback route: ${word(fallbackTypeText, fallback.type)}${fallback.reason ? ` (${word(fallbackReasonText, fallback.reason)})` : ''}`;
}

/**
 * A routing step: our answer to the voice request (`call.connecting` / `call.unrouted`) or to a
 * Dial result, with `after` (`call.connecting` on failover, `call.hangup` when it ends the call;
 * records from before `call.hangup` existed have `call.unrouted` there).
 */
function routingText(connecting: boolean, payload: unknown, agentName: (id: number) => string): CallEventText {
  const p = parse(routingPayload, payload);
  const rule = p.rule ? `rule ${p.rule.pattern}` : null;
  const attempt = p.attempt ? `attempt ${p.attempt}` : null;
  const fallback = fallbackText(p.fallback);
  if (!connecting) {
    const title = p.after === 'failover' ? 'No other agent to try' : p.after ? word(hangupText, p.after) : 'Not sent to an agent';
    return { title, detail: joined([rule, fallback]) };
  }
  const target = p.agent_id ? agentName(p.agent_id) : p.fallback ? 'the fallback route' : 'the dialled number';
  return { title: `${p.after === 'failover' ? 'Failing over to' : 'Connecting to'} ${target}`, detail: joined([rule, attempt, fallback]) };
}

/** The words for one timeline event; `agentName` names the agent of a routing step. */
export function callEventText(event: EventInput, agentName: (id: number) => string): CallEventText {
  switch (event.event_type) {
    case 'call.received':
      return { title: 'Call received', detail: null };
    case 'call.connecting':
      return routingText(true, event.payload, agentName);
    case 'call.unrouted':
    case 'call.hangup':
      return routingText(false, event.payload, agentName);
    case 'call.dial_result': {
      const p = parse(dialResultPayload, event.payload);
      return { title: `Dial result: ${p.outcome ? word(dialOutcomeText, p.outcome) : 'unknown'}`, detail: p.attempt ? `attempt ${p.attempt}` : null };
    }
    case 'call.expired': {
      const p = parse(expiredPayload, event.payload);
      const minutes = p.max_call_minutes ? `after ${p.max_call_minutes} minutes ` : '';
      return { title: 'Closed after the maximum call length', detail: `Cloudonix never reported its end ${minutes}(unknown end); the agent’s slot was freed` };
    }
    case 'session.updated': {
      const p = parse(sessionPayload, event.payload);
      return { title: `Session update${p.status ? `: ${humanize(p.status).toLowerCase()}` : ''}`, detail: null };
    }
    case 'call.handed_off':
      return handOffText(event.payload, agentName);
    case 'call.test_placed': {
      // A test call from the agents page: Cloudonix rang the admin's phone, then dials the agent.
      const p = parse(routingPayload, event.payload);
      return { title: `Test call to ${p.agent_id ? agentName(p.agent_id) : 'an agent'}`, detail: 'placed by an admin from the console: their phone rings first' };
    }
    case 'call.hung_up':
      return { title: 'Hung up by an admin', detail: 'Cloudonix was told to end the call; the agent’s slot was freed' };
    case 'call.ended_by_admin':
      return { title: 'Ended by an admin', detail: 'The record was closed and the agent’s slot freed' };
    case 'cdr.received': {
      const p = parse(cdrPayload, event.payload);
      return { title: 'CDR received', detail: p.disposition ? `disposition ${p.disposition}` : null };
    }
    default:
      return { title: humanize(event.event_type), detail: null };
  }
}
