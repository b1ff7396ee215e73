import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CloudonixFailure, type CloudonixAccess } from '../../src/services/cloudonix/cloudonix-api.js';
import { createCloudonixRest, type CloudonixRestOptions } from '../../src/services/cloudonix/cloudonix-rest.js';
import { createLogger } from '../../src/services/logger.js';
import { startFakeCloudonix, type FakeCloudonix } from '../support/fake-cloudonix-api.js';

/** The REST client against the local fake Cloudonix: shapes, failures in words, 429 handling, and the key kept out of logs. */
describe('Cloudonix REST client', () => {
  let fake: FakeCloudonix;
  const logs: string[] = [];
  const logger = createLogger('debug', new Writable({ write: (chunk: Buffer, _e, done) => (logs.push(chunk.toString('utf8')), done()) }));
  const waits: number[] = [];
  let access: CloudonixAccess;

  const client = (over: Partial<CloudonixRestOptions> = {}) =>
    createCloudonixRest({ baseUrl: fake.url, logger, requestsPer10s: 1000, sleep: async (ms) => void waits.push(ms), ...over });
  const failureOf = async (p: Promise<unknown>): Promise<CloudonixFailure> => {
    const err = await p.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(CloudonixFailure);
    return err as CloudonixFailure;
  };

  beforeAll(async () => {
    fake = await startFakeCloudonix();
  });
  afterAll(async () => {
    await fake.close();
    // Whatever happened above, no log line carried a key.
    for (const d of ['acme.cloudonix.net', 'other.cloudonix.net']) {
      const key = fake.domains.get(d)?.apiKey;
      if (key) expect(logs.join('\n')).not.toContain(key);
    }
  });
  beforeEach(() => {
    fake.setRateLimit(1000, 10_000);
    fake.clearRequests();
    fake.resetFaults();
    waits.length = 0;
    if (!fake.domains.get('acme.cloudonix.net')) fake.domains.add('acme.cloudonix.net', { profile: { 'foreign-key': 'kept' } });
    access = { domain: 'acme.cloudonix.net', apiKey: fake.keyOf('acme.cloudonix.net') };
  });

  it('reads and changes the domain, its applications and sessions in the documented shapes', async () => {
    const api = client();
    const domain = await api.getDomain(access);
    expect(domain).toEqual({ id: expect.any(Number), domain: 'acme.cloudonix.net', active: true, defaultApplication: null, profile: { 'foreign-key': 'kept' } });
    expect(fake.requests[0]).toMatchObject({ method: 'GET', path: '/customers/self/domains/acme.cloudonix.net', authorization: `Bearer ${access.apiKey}` });

    const app = await api.createApplication(access, { name: 'voice-lb-acme', url: 'https://lb.example.org/cx/t/abc/voice', method: 'POST' });
    expect(app).toEqual({ id: expect.any(Number), name: 'voice-lb-acme', type: 'cxml', url: 'https://lb.example.org/cx/t/abc/voice', method: 'POST', active: true });
    const moved = await api.updateApplication(access, app.id, { url: 'https://lb.example.org/cx/t/def/voice', method: 'POST' });
    expect(moved.url).toBe('https://lb.example.org/cx/t/def/voice');
    expect(await api.listApplications(access)).toEqual([moved]);

    const updated = await api.updateDomain(access, { profile: { ...domain.profile, 'cdr-endpoint': 'https://lb.example.org/cdr' }, defaultApplication: app.id });
    expect(updated.profile).toEqual({ 'foreign-key': 'kept', 'cdr-endpoint': 'https://lb.example.org/cdr' });
    expect(updated.defaultApplication).toBe(app.id);

    const placed = await api.placeCall(access, { destination: '+12125550100', callerId: '+14155550123', cxml: '<Response><Hangup/></Response>' });
    expect(placed).toMatchObject({ token: expect.stringMatching(/^[0-9a-f]{32}$/), status: 'new', destination: '12125550100', callerId: '14155550123', callAnswerTime: null, callEndTime: null });
    expect(fake.requests.at(-1)?.body).toEqual({ destination: '+12125550100', 'caller-id': '+14155550123', cxml: '<Response><Hangup/></Response>' });
    expect(await api.getSession(access, placed.token)).toMatchObject({ token: placed.token, status: 'new' });

    await api.switchSession(access, placed.token, { cxml: '<Response><Dial><Number>+1212</Number></Dial></Response>' });
    await api.switchSession(access, placed.token, { url: 'https://lb.example.org/next', method: 'POST' });
    expect(fake.sessions.get(placed.token)?.applications.map((a) => a.cxml ?? a.url)).toEqual([
      '<Response><Hangup/></Response>',
      '<Response><Dial><Number>+1212</Number></Dial></Response>',
      'https://lb.example.org/next',
    ]);
    expect(await api.hangUpSession(access, placed.token, 'denied')).toBe(true);
    expect(fake.sessions.get(placed.token)?.hungUp).toBe('denied');
    expect(await api.hangUpSession(access, placed.token)).toBe(false);
  });

  it('says in words that a wrong key was refused, never repeating the key', async () => {
    const wrong = { domain: 'acme.cloudonix.net', apiKey: 'XIwrongwrongwrongwrongwrongwrong00' };
    const failure = await failureOf(client().getDomain(wrong));
    expect(failure).toMatchObject({ kind: 'key_refused', status: 401 });
    expect(failure.words).toMatch(/refused the API key for domain acme\.cloudonix\.net.*starts with XI/);
    expect(failure.words).not.toContain(wrong.apiKey);
    expect(logs.join('\n')).not.toContain(wrong.apiKey);
  });

  it('tells a missing domain, application or session apart from other failures', async () => {
    const api = client();
    expect(await api.getSession(access, 'f'.repeat(32))).toBeNull();
    const noApp = await failureOf(api.updateApplication(access, 999_999, { url: 'https://x.example/v', method: 'POST' }));
    expect(noApp).toMatchObject({ kind: 'not_found', status: 404 });
    expect(noApp.words).toContain('voice application 999999');
    const noDomain = await failureOf(api.getDomain({ domain: 'nobody.cloudonix.net', apiKey: access.apiKey }));
    expect(noDomain).toMatchObject({ kind: 'not_found' });
    const rejected = await failureOf(api.placeCall(access, { destination: '', cxml: '<Response/>' }));
    expect(rejected).toMatchObject({ kind: 'rejected', status: 400 });
    expect(rejected.words).toContain('destination is required');
  });

  it('waits out a 429 as Retry-After says, then succeeds', async () => {
    fake.failNext(429, { status: 429, message: 'Too Many Requests' }, { times: 2, retryAfter: 2 });
    const domain = await client().getDomain(access);
    expect(domain.domain).toBe('acme.cloudonix.net');
    expect(waits).toEqual([2000, 2000]);
    expect(fake.requests.map((r) => r.status)).toEqual([429, 429, 200]);
  });

  it('gives up after three retries with rate_limited', async () => {
    fake.failNext(429, { status: 429, message: 'Too Many Requests' }, { times: 10 });
    const failure = await failureOf(client().listApplications(access));
    expect(failure).toMatchObject({ kind: 'rate_limited', status: 429 });
    expect(fake.requests).toHaveLength(4);
    expect(waits).toEqual([1000, 2000, 4000]);
  });

  it("answers the fake's own per-domain limit with a real wait, then gets through", async () => {
    fake.setRateLimit(2, 1000);
    const api = createCloudonixRest({ baseUrl: fake.url, logger, requestsPer10s: 1000 });
    const started = Date.now();
    await Promise.all([api.getDomain(access), api.getDomain(access), api.getDomain(access)]);
    expect(fake.requests.filter((r) => r.status === 429)).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('counts as unreachable: a timeout, a closed port, a 5xx, an answer that is not Cloudonix', async () => {
    fake.delayNext(400);
    const slow = await failureOf(client({ timeoutMs: 100 }).getDomain(access));
    expect(slow).toMatchObject({ kind: 'unreachable', status: null });
    expect(slow.words).toMatch(/did not answer within/);

    const closed = await failureOf(createCloudonixRest({ baseUrl: 'http://127.0.0.1:9', logger }).getDomain(access));
    expect(closed).toMatchObject({ kind: 'unreachable' });
    expect(closed.words).toMatch(/Could not reach Cloudonix at http:\/\/127\.0\.0\.1:9/);

    fake.failNext(503, { status: 503, message: 'Service Unavailable' });
    expect(await failureOf(client().getDomain(access))).toMatchObject({ kind: 'unreachable', status: 503 });

    fake.failNext(200, { hello: 'world' });
    expect(await failureOf(client().getDomain(access))).toMatchObject({ kind: 'unreachable' });

    // Headers at once, then the body stalls: the time limit covers it too.
    const stalling = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"id":');
    });
    await new Promise<void>((resolve) => stalling.listen(0, '127.0.0.1', resolve));
    try {
      const stalled = await failureOf(createCloudonixRest({ baseUrl: `http://127.0.0.1:${(stalling.address() as AddressInfo).port}`, logger, timeoutMs: 200 }).getDomain(access));
      expect(stalled).toMatchObject({ kind: 'unreachable', status: 200 });
    } finally {
      stalling.closeAllConnections();
      await new Promise<void>((resolve) => stalling.close(() => resolve()));
    }
  });

  it('keeps each domain to its own rate: a limited domain does not hold up another', async () => {
    fake.domains.add('other.cloudonix.net');
    const other = { domain: 'other.cloudonix.net', apiKey: fake.keyOf('other.cloudonix.net') };
    const api = createCloudonixRest({ baseUrl: fake.url, logger, requestsPer10s: 1 });
    await api.getDomain(access);
    const started = Date.now();
    await api.getDomain(other);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
