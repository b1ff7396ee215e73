import { describe, expect, it } from 'vitest';
import { callEventText } from './call-event-text.js';

const agentName = (id: number) => (id === 7 ? 'Vapi One' : `agent #${id}`);
const text = (event_type: string, payload: unknown = null) => callEventText({ event_type, payload }, agentName);

describe('callEventText: the call timeline in words', () => {
  it('names the agent the first routing step connects to, with the rule and attempt', () => {
    expect(text('call.connecting', { rule: { pattern: '+1212*' }, target: { type: 'group', id: 1 }, agent_id: 7, attempt: 1, fallback: null })).toEqual({
      title: 'Connecting to Vapi One',
      detail: 'rule +1212* · attempt 1',
    });
  });

  it('tells a failover and a fallback apart', () => {
    expect(text('call.connecting', { after: 'failover', agent_id: 8, attempt: 2, fallback: null }).title).toBe('Failing over to agent #8');
    expect(text('call.connecting', { agent_id: null, attempt: 1, fallback: { type: 'number', reason: 'no_candidate' } })).toEqual({
      title: 'Connecting to the fallback route',
      detail: 'attempt 1 · fallback route: forward to a number (no agent available)',
    });
  });

  it('says why a call was not routed, or why we hung up after a Dial result', () => {
    expect(text('call.unrouted', { rule: null, agent_id: null, attempt: 0, fallback: { type: 'hangup', reason: 'no_rule' } })).toEqual({
      title: 'Not sent to an agent',
      detail: 'fallback route: hang up (no rule matched)',
    });
    expect(text('call.hangup', { after: 'answered', agent_id: null, attempt: 1, fallback: null }).title).toBe('Hung up after the agent’s call');
    expect(text('call.hangup', { after: 'declined' }).title).toBe('Hung up: the agent declined (busy)');
    expect(text('call.hangup', { after: 'failover', fallback: { type: 'message', reason: 'attempts_exhausted' } })).toEqual({
      title: 'No other agent to try',
      detail: 'fallback route: play a message (every attempt failed)',
    });
    // Records from before call.hangup existed have call.unrouted after a Dial result.
    expect(text('call.unrouted', { after: 'caller_gone' }).title).toBe('Hung up: the caller had left');
  });

  it('reads Dial results, expiry, session updates and CDRs', () => {
    expect(text('call.dial_result', { outcome: 'no_answer', attempt: 2 })).toEqual({ title: 'Dial result: no answer', detail: 'attempt 2' });
    expect(text('call.expired', { max_call_minutes: 120 }).title).toBe('Closed after the maximum call length');
    expect(text('call.expired', { max_call_minutes: 120 }).detail).toContain('after 120 minutes');
    expect(text('session.updated', { status: 'connected' }).title).toBe('Session update: connected');
    expect(text('cdr.received', { disposition: 'ANSWER' })).toEqual({ title: 'CDR received', detail: 'disposition ANSWER' });
  });

  it('still titles an unknown type or an unexpected payload', () => {
    expect(text('call.something_new')).toEqual({ title: 'Call something new', detail: null });
    expect(text('call.dial_result', 'not an object')).toEqual({ title: 'Dial result: unknown', detail: null });
    expect(text('call.connecting', { agent_id: 'seven', rule: 3 }).title).toBe('Connecting to the dialled number');
  });

  it('says who a call was handed off to, and an admin hang-up', () => {
    expect(text('call.handed_off', { target_type: 'agent', agent_id: 7, number: null, from_agent_id: 8 })).toEqual({ title: 'Handed off to Vapi One', detail: 'from agent #8 · by an admin' });
    expect(text('call.handed_off', { target_type: 'group', agent_id: 9, from_agent_id: null }).detail).toBe('picked from a group · by an admin');
    expect(text('call.handed_off', { target_type: 'number', agent_id: null, number: '+12125550187' }).title).toBe('Handed off to +12125550187');
    expect(text('call.hung_up').title).toBe('Hung up by an admin');
    expect(text('call.test_placed', { agent_id: 7, attempt: 1, fallback: null, user_id: 3 }).title).toBe('Test call to Vapi One');
    expect(text('call.hangup', { after: 'handed_off' }).title).toBe('Hung up: the call had been handed off');
  });
});
