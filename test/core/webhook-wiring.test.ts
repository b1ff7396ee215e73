import { describe, expect, it } from 'vitest';
import { wiringProblems, type WiringFacts } from '../../src/core/lifecycle/webhook-wiring.js';

const MIN = 60_000;
const none: WiringFacts = { voiceSettled: null, voiceOverMaxLength: null, dialEndedBefore: null, lastSessionUpdate: null, lastCdr: null };

describe('wiringProblems: which Cloudonix endpoint is missing, in words that fit what happened', () => {
  it('says nothing before any call, and nothing when updates and CDRs follow the calls', () => {
    expect(wiringProblems(none)).toEqual([]);
    expect(wiringProblems({ ...none, voiceSettled: 10 * MIN, dialEndedBefore: 10 * MIN, lastSessionUpdate: 11 * MIN, lastCdr: 12 * MIN })).toEqual([]);
  });

  it('only the voice URL pasted: both endpoints flagged, with the setting to paste each URL into', () => {
    const problems = wiringProblems({ ...none, voiceSettled: 10 * MIN, dialEndedBefore: 10 * MIN });
    expect(problems.map((p) => p.setting)).toEqual(['session-update-endpoint', 'cdr-endpoint']);
    expect(problems[0]!.message).toMatch(/no session update has come.*Paste the session update URL/);
    expect(problems[1]!.message).toMatch(/no CDR has come.*Paste the CDR URL/);
  });

  it('updates that came before and then stopped are told as stopped (check the setting), not as never set up', () => {
    const problems = wiringProblems({ ...none, voiceSettled: 30 * MIN, dialEndedBefore: 30 * MIN, lastSessionUpdate: 5 * MIN, lastCdr: 6 * MIN });
    expect(problems.map((p) => p.webhook)).toEqual(['session_update', 'cdr']);
    expect(problems[0]!.message).toMatch(/^Session updates stopped.*still has the session update URL/);
    expect(problems[1]!.message).toMatch(/^CDRs stopped.*still has the CDR URL/);
    expect(problems.map((p) => p.message).join(' ')).not.toContain('Paste');
  });
});
