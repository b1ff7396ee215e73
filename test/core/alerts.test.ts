import { describe, expect, it } from 'vitest';
import { alertConditions, type AlertObservations } from '../../src/core/alerts/alert-conditions.js';
import { signAlertBody, verifyAlertSignature } from '../../src/core/alerts/alert-signature.js';
import { defaultAlertSettings } from '../../src/core/schemas/alert.js';

const now = Date.UTC(2026, 11, 6, 12, 0, 0);
const quiet: AlertObservations = { now, agentsDown: [], atCap: [], calls: { total: 0, fallback: 0 }, wiring: { routed: 0, sessionUpdateSeen: false, cdrSeen: false }, webhookErrors: 0 };
const kinds = (o: Partial<AlertObservations>, s = defaultAlertSettings) => alertConditions({ ...quiet, ...o }, s).map((c) => `${c.kind}:${c.subjectId ?? '-'}`);

describe('alert conditions', () => {
  it('a quiet tenant has none', () => {
    expect(kinds({})).toEqual([]);
  });

  it('an agent or a pool at its cap counts only after the set minutes, and each subject is its own alert', () => {
    const s = { ...defaultAlertSettings, at_cap_minutes: 10 };
    const at = (kind: 'agent_at_cap' | 'pool_at_cap', subjectId: number, minutes: number) => ({ kind, subjectId, since: now - minutes * 60_000, liveCalls: 2, cap: 2 });
    expect(kinds({ atCap: [at('agent_at_cap', 3, 9)] }, s)).toEqual([]);
    expect(kinds({ atCap: [at('agent_at_cap', 3, 10), at('agent_at_cap', 4, 60), at('pool_at_cap', 3, 11)] }, s)).toEqual(['agent_at_cap:3', 'agent_at_cap:4', 'pool_at_cap:3']);
  });

  it('the fallback share must pass the threshold over at least the minimum of calls', () => {
    const s = { ...defaultAlertSettings, fallback_percent: 20, fallback_min_calls: 10 };
    expect(kinds({ calls: { total: 9, fallback: 9 } }, s)).toEqual([]);
    expect(kinds({ calls: { total: 10, fallback: 2 } }, s)).toEqual([]); // 20% is not above 20%
    expect(kinds({ calls: { total: 10, fallback: 3 } }, s)).toEqual(['fallback_share:-']);
  });

  it('missing session updates and CDRs are judged apart, only once enough calls were routed', () => {
    const s = { ...defaultAlertSettings, wiring_min_calls: 5 };
    expect(kinds({ wiring: { routed: 4, sessionUpdateSeen: false, cdrSeen: false } }, s)).toEqual([]);
    expect(kinds({ wiring: { routed: 5, sessionUpdateSeen: false, cdrSeen: false } }, s)).toEqual(['no_session_updates:-', 'no_cdrs:-']);
    expect(kinds({ wiring: { routed: 5, sessionUpdateSeen: true, cdrSeen: false } }, s)).toEqual(['no_cdrs:-']);
  });

  it('webhook errors fire at the threshold; agents down fire at once', () => {
    expect(kinds({ webhookErrors: defaultAlertSettings.webhook_errors_threshold })).toEqual(['webhook_errors:-']);
    expect(kinds({ agentsDown: [{ agentId: 7, until: now + 1000 }] })).toEqual(['agent_down:7']);
  });
});

describe('alert webhook signature', () => {
  const body = '{"type":"alert.firing"}';
  it('verifies what it signed, within the replay window, and nothing else', () => {
    const header = signAlertBody('s3cret-s3cret-s3cret', body, 1_800_000_000);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifyAlertSignature('s3cret-s3cret-s3cret', body, header, 1_800_000_100)).toBe(true);
    expect(verifyAlertSignature('s3cret-s3cret-s3cret', `${body} `, header, 1_800_000_100)).toBe(false);
    expect(verifyAlertSignature('another-secret-value', body, header, 1_800_000_100)).toBe(false);
    expect(verifyAlertSignature('s3cret-s3cret-s3cret', body, header, 1_800_000_400)).toBe(false);
    expect(verifyAlertSignature('s3cret-s3cret-s3cret', body, 'garbage', 1_800_000_000)).toBe(false);
  });
});
