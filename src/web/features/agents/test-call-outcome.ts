import type { CallRecordDetail } from '../../../core/schemas/call-records.js';
import { outcomeLabel } from '../../../core/lifecycle/call-words.js';
import { formatDuration } from '../../lib/format.js';

/** What a test call came to, in words: while it goes on, then once it has ended. */
export interface TestCallOutcome {
  done: boolean;
  tone: 'progress' | 'success' | 'failure';
  title: string;
  detail: string | null;
}

/** The agent's leg as the Dial result says it (routing's dial outcome words). */
const AGENT_LEG: Readonly<Record<string, string>> = {
  no_answer: 'the agent did not answer in time',
  busy: 'the agent answered busy',
  failed: 'the call to the agent failed',
  canceled: 'the call ended before the agent answered',
  unknown: 'Cloudonix did not say why',
};

type OutcomeInput = Pick<CallRecordDetail, 'status' | 'outcome_reason' | 'ended_at' | 'billsec' | 'duration_seconds' | 'disposition' | 'events'>;

/** The agent's Dial result, when Cloudonix reported the agent's leg (only once your phone answered). */
function agentLeg(record: OutcomeInput): string | null {
  const results = record.events.filter((e) => e.event_type === 'call.dial_result');
  const payload = results[results.length - 1]?.payload;
  const outcome = payload !== null && typeof payload === 'object' && 'outcome' in payload ? (payload as { outcome: unknown }).outcome : null;
  return typeof outcome === 'string' ? outcome : null;
}

/**
 * What happened to a test call, from its record: Cloudonix rings your phone first and dials
 * the agent only once you answer, so a call not answered is told apart by which leg failed.
 */
export function testCallOutcome(record: OutcomeInput, agentName: string): TestCallOutcome {
  if (!record.ended_at) {
    if (record.status === 'connected') return { done: false, tone: 'progress', title: 'Your phone answered', detail: `${agentName} is being dialled or is on the line. Hang up to end the test.` };
    return { done: false, tone: 'progress', title: 'Calling your phone…', detail: `Answer it to be connected to ${agentName}.` };
  }
  if (record.status === 'completed') {
    const talked = record.billsec ?? record.duration_seconds;
    return {
      done: true,
      tone: 'success',
      title: `Answered: ${agentName} took the call`,
      detail: `On the line for ${formatDuration(talked)}${record.duration_seconds !== null ? `; the call lasted ${formatDuration(record.duration_seconds)} in all` : ''}.`,
    };
  }
  const leg = agentLeg(record);
  if (leg !== null && leg !== 'answered' && leg !== 'in_progress') {
    return { done: true, tone: 'failure', title: `${agentName} did not answer`, detail: `Your phone answered, but ${AGENT_LEG[leg] ?? leg}.` };
  }
  switch (record.outcome_reason) {
    case 'no_answer':
      return { done: true, tone: 'failure', title: 'Your phone did not answer', detail: `Cloudonix rang it for up to 30 seconds; ${agentName} was not dialled.` };
    case 'busy':
      return { done: true, tone: 'failure', title: 'Your phone was busy', detail: `${agentName} was not dialled.` };
    case 'declined':
      return { done: true, tone: 'failure', title: 'The call was declined', detail: 'Your phone or its network refused the call.' };
    case 'caller_hung_up':
      return { done: true, tone: 'failure', title: 'The call was cancelled before anyone answered', detail: null };
    case 'unknown_end':
      return {
        done: true,
        tone: 'failure',
        title: 'Cloudonix never said how the call ended',
        detail: 'No session update or CDR arrived: check the domain’s session-update and CDR endpoints (Settings → Cloudonix connection, Check wiring).',
      };
    case 'agent_failed':
      return { done: true, tone: 'failure', title: 'The call failed', detail: record.disposition ? `Cloudonix reported ${record.disposition}.` : null };
    default:
      return { done: true, tone: 'failure', title: outcomeLabel(record.outcome_reason) || 'The call ended', detail: null };
  }
}
