import { describe, expect, it } from 'vitest';
import { setupMissing } from '../../src/core/cloudonix/setup-findings.js';
import { planDomainSetup, type DesiredSetup, type SetupApplicationFacts, type SetupDomainFacts } from '../../src/core/cloudonix/setup-plan.js';

const SECRET = 'whs_0123456789abcdefSECRET';
const BASE = 'https://lb.example.org';
const url = (path: string, secret = SECRET) => `${BASE}/api/voice/${path}/acme.cloudonix.net?token=${secret}`;
const desired: DesiredSetup = {
  voiceUrl: url('application'),
  sessionUpdateUrl: url('session/update'),
  cdrUrl: url('session/cdr'),
  authorizationKey: SECRET,
  applicationName: 'voice-lb-acme.cloudonix.net',
};
const empty: SetupDomainFacts = { domain: 'acme.cloudonix.net', defaultApplication: null, profile: {} };
const ours: SetupApplicationFacts = { id: 7, name: 'voice-lb-acme.cloudonix.net', url: desired.voiceUrl, method: 'POST' };
const synced: SetupDomainFacts = {
  domain: 'acme.cloudonix.net',
  defaultApplication: 7,
  profile: { 'authorization-api-key': SECRET, 'session-update-endpoint': desired.sessionUpdateUrl, 'cdr-endpoint': desired.cdrUrl, 'their-key': 'kept' },
};
const plan = (domain: SetupDomainFacts | null, applications: SetupApplicationFacts[], d: DesiredSetup = desired) =>
  planDomainSetup({ domain, domainName: 'acme.cloudonix.net', applications, desired: d });
const actions = (p: ReturnType<typeof plan>) => Object.fromEntries(p.steps.map((s) => [s.item, s.action]));

describe('planDomainSetup: what one-click setup changes at a Cloudonix domain', () => {
  it('from an empty domain: creates the application, makes it the default, sets the three profile keys', () => {
    const p = plan(empty, []);
    expect(actions(p)).toEqual({
      voice_application: 'create',
      default_application: 'create',
      authorization_key: 'create',
      session_update_endpoint: 'create',
      cdr_endpoint: 'create',
    });
    expect(p.inSync).toBe(false);
    expect(p.changes).toEqual({
      application: { kind: 'create', name: desired.applicationName, url: desired.voiceUrl, method: 'POST' },
      profile: { 'authorization-api-key': SECRET, 'session-update-endpoint': desired.sessionUpdateUrl, 'cdr-endpoint': desired.cdrUrl },
      setDefaultApplication: true,
    });
  });

  it('in sync: nothing to change, whatever other keys the profile has', () => {
    const p = plan(synced, [{ id: 3, name: 'ivr', url: 'https://x.example/ivr', method: 'GET' }, ours]);
    expect(p.inSync).toBe(true);
    expect(Object.values(actions(p))).toEqual(['none', 'none', 'none', 'none', 'none']);
    expect(p.changes).toEqual({ application: null, profile: {}, setDefaultApplication: false });
  });

  it('the default application may be given by name; the application may be found by its stored id after a rename', () => {
    expect(plan({ ...synced, defaultApplication: ours.name }, [ours]).inSync).toBe(true);
    const renamed = { ...ours, name: 'renamed-by-hand' };
    const p = plan({ ...synced, defaultApplication: 7 }, [{ ...ours, id: 9, url: 'https://elsewhere.example/x' }, renamed], { ...desired, applicationId: 7 });
    expect(p.application?.id).toBe(7);
    expect(p.inSync).toBe(true);
  });

  it('only the voice URL set by hand: that application is adopted, the profile keys are planned, nothing in the steps shows the secret', () => {
    const byHand = { id: 12, name: 'my-app', url: desired.voiceUrl, method: 'POST' };
    const p = plan({ ...empty, defaultApplication: 12 }, [byHand]);
    expect(actions(p)).toMatchObject({ voice_application: 'none', default_application: 'none', session_update_endpoint: 'create', cdr_endpoint: 'create' });
    expect(p.changes.application).toBeNull();
    expect(p.changes.setDefaultApplication).toBe(false);
    expect(JSON.stringify(p.steps)).not.toContain(SECRET);
    expect(p.steps.find((s) => s.item === 'cdr_endpoint')!.desired).toBe(`${BASE}/api/voice/session/cdr/acme.cloudonix.net?token=********`);
  });

  it('a rotated secret: the application, the key and both endpoints are updated, and the words say why without the secret', () => {
    const old = 'whs_OLDOLDOLDOLDOLD';
    const stale: SetupDomainFacts = {
      ...synced,
      profile: { 'authorization-api-key': old, 'session-update-endpoint': url('session/update', old), 'cdr-endpoint': url('session/cdr', old) },
    };
    const p = plan(stale, [{ ...ours, url: url('application', old) }]);
    expect(actions(p)).toEqual({
      voice_application: 'update',
      default_application: 'none',
      authorization_key: 'update',
      session_update_endpoint: 'update',
      cdr_endpoint: 'update',
    });
    expect(p.changes.application).toEqual({ kind: 'update', id: 7, url: desired.voiceUrl, method: 'POST' });
    const words = p.steps.map((s) => s.words).join(' ');
    expect(words).toContain('old webhook secret');
    expect(p.steps.find((s) => s.item === 'authorization_key')).toMatchObject({ current: 'differs', desired: 'set' });
    expect(JSON.stringify(p.steps)).not.toContain(old);
    expect(JSON.stringify(p.steps)).not.toContain(SECRET);
  });

  it('a wrong CDR endpoint and a GET application: only those are planned, in words naming what is there now', () => {
    const p = plan({ ...synced, profile: { ...synced.profile, 'cdr-endpoint': 'https://billing.example/cdr' } }, [{ ...ours, method: 'get' }]);
    expect(actions(p)).toMatchObject({ voice_application: 'update', session_update_endpoint: 'none', cdr_endpoint: 'update' });
    expect(p.changes.profile).toEqual({ 'cdr-endpoint': desired.cdrUrl });
    expect(p.steps.find((s) => s.item === 'cdr_endpoint')!.words).toContain('https://billing.example/cdr');
    expect(p.steps.find((s) => s.item === 'voice_application')!.words).toContain('uses GET');
  });

  it('another application as the default: ours is made the default, naming the one there now', () => {
    const p = plan({ ...synced, defaultApplication: 3 }, [{ id: 3, name: 'ivr', url: 'https://x.example/ivr', method: 'POST' }, ours]);
    const step = p.steps.find((s) => s.item === 'default_application')!;
    expect(step).toMatchObject({ action: 'update', current: 'ivr (id 3)', desired: ours.name });
    expect(p.changes.setDefaultApplication).toBe(true);
  });

  it('no such domain: never in sync, and check wiring says why first', () => {
    const p = plan(null, []);
    expect(p.inSync).toBe(false);
    const missing = setupMissing({ plan: p, domainName: 'acme.cloudonix.net', voiceUrl: desired.voiceUrl, urlsProblem: null, wiring: [] });
    expect(missing[0]).toMatch(/no domain acme\.cloudonix\.net/);
  });
});

describe('setupMissing: check wiring in sentences', () => {
  it('in sync and webhooks arriving: nothing is missing', () => {
    expect(setupMissing({ plan: plan(synced, [ours]), domainName: 'acme.cloudonix.net', voiceUrl: desired.voiceUrl, urlsProblem: null, wiring: [] })).toEqual([]);
  });

  it('an unreachable URL is told with the URL masked; out-of-sync steps are told once each', () => {
    const local = { ...desired, voiceUrl: `http://127.0.0.1:3000/api/voice/application/acme.cloudonix.net?token=${SECRET}` };
    const missing = setupMissing({ plan: plan(empty, [], local), domainName: 'acme.cloudonix.net', voiceUrl: local.voiceUrl, urlsProblem: 'points at 127.0.0.1, this machine (loopback): …', wiring: [] });
    expect(missing).toHaveLength(6);
    expect(missing[0]).toBe('Our voice URL http://127.0.0.1:3000/api/voice/application/acme.cloudonix.net?token=******** points at 127.0.0.1, this machine (loopback): …');
    expect(missing.join(' ')).not.toContain(SECRET);
  });

  it('webhooks missing though the endpoint is set are told; when the endpoint is missing the step says it already', () => {
    const inSync = setupMissing({ plan: plan(synced, [ours]), domainName: 'acme.cloudonix.net', voiceUrl: desired.voiceUrl, urlsProblem: null, wiring: [{ setting: 'cdr-endpoint' }] });
    expect(inSync).toHaveLength(1);
    expect(inSync[0]).toMatch(/has our CDR endpoint, yet no CDR came/);
    const unset = setupMissing({ plan: plan(empty, []), domainName: 'acme.cloudonix.net', voiceUrl: desired.voiceUrl, urlsProblem: null, wiring: [{ setting: 'cdr-endpoint' }] });
    expect(unset.filter((s) => s.includes('CDR'))).toHaveLength(1);
  });
});
