import { describe, expect, it } from 'vitest';
import { testCallOutcome } from './test-call-outcome.js';

const base = { status: 'connecting', outcome_reason: null, ended_at: null, billsec: null, duration_seconds: null, disposition: null, events: [] };
const ended = { ended_at: '2026-12-07T01:00:00.000Z' };
const dialResult = (outcome: string) => ({ id: 3, event_type: 'call.dial_result', from_status: 'connected', to_status: 'connected', payload: { outcome, attempt: 1 }, occurred_at: '2026-12-07T01:00:00.000Z' });

describe('what a test call came to', () => {
  it('while it goes on: ringing my phone, then answered', () => {
    expect(testCallOutcome(base, 'Sales bot')).toMatchObject({ done: false, title: 'Calling your phone…', detail: 'Answer it to be connected to Sales bot.' });
    expect(testCallOutcome({ ...base, status: 'connected' }, 'Sales bot')).toMatchObject({ done: false, title: 'Your phone answered' });
  });

  it('answered, with how long the agent was on the line', () => {
    const o = testCallOutcome({ ...base, ...ended, status: 'completed', outcome_reason: 'answered', billsec: 42, duration_seconds: 47 }, 'Sales bot');
    expect(o).toEqual({ done: true, tone: 'success', title: 'Answered: Sales bot took the call', detail: 'On the line for 0:42; the call lasted 0:47 in all.' });
  });

  it('not answered: tells my phone from the agent', () => {
    expect(testCallOutcome({ ...base, ...ended, status: 'no_answer', outcome_reason: 'no_answer' }, 'Sales bot')).toMatchObject({ tone: 'failure', title: 'Your phone did not answer' });
    const agent = testCallOutcome({ ...base, ...ended, status: 'no_answer', outcome_reason: 'no_answer', events: [dialResult('no_answer')] }, 'Sales bot');
    expect(agent).toMatchObject({ title: 'Sales bot did not answer', detail: 'Your phone answered, but the agent did not answer in time.' });
    expect(testCallOutcome({ ...base, ...ended, status: 'busy', outcome_reason: 'busy', events: [dialResult('busy')] }, 'X').detail).toBe('Your phone answered, but the agent answered busy.');
    expect(testCallOutcome({ ...base, ...ended, status: 'failed', outcome_reason: 'unknown_end' }, 'X').title).toBe('Cloudonix never said how the call ended');
  });
});
