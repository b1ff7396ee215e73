import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloudonix, type FakeCloudonix } from '../support/fake-cloudonix-api.js';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** The fake Cloudonix itself: what other suites rely on it to do like Cloudonix (errors, rate, webhooks). */
describe('fake Cloudonix', () => {
  let fake: FakeCloudonix;
  const received: Received[] = [];
  let hooks: string;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
      res.writeHead(201).end();
    });
  });

  beforeAll(async () => {
    fake = await startFakeCloudonix({ rateLimit: { limit: 2, windowMs: 60_000 } });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    hooks = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await fake.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('answers errors as { status, message } JSON, and a 429 with Retry-After past its per-domain limit', async () => {
    const d = fake.domains.add('limits.cloudonix.net');
    const url = `${fake.url}/customers/self/domains/limits.cloudonix.net`;
    const noKey = await fetch(url);
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toEqual({ status: 401, message: expect.stringContaining('Unauthorized') });
    const ok = await fetch(url, { headers: { authorization: `Bearer ${d.apiKey}` } });
    expect(ok.status).toBe(200);
    const limited = await fetch(url, { headers: { authorization: `Bearer ${d.apiKey}` } });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ status: 429 });
  });

  it('sends session updates and the CDR to the profile endpoints, with the profile key as Bearer', async () => {
    fake.setRateLimit(1000, 10_000);
    fake.domains.add('hooks.cloudonix.net', {
      profile: { 'session-update-endpoint': `${hooks}/su`, 'cdr-endpoint': `${hooks}/cdr`, 'authorization-api-key': 'profile-secret-123' },
    });
    const s = fake.sessions.add('hooks.cloudonix.net', { destination: '12125550187', callerId: '14155550123' });
    await fake.emit(s.token, 'ringing');
    await fake.emit(s.token, 'answer', { at: s.callStartTime + 4000 });
    const ended = await fake.emit(s.token, 'end', { at: s.callStartTime + 125_000 });
    expect(ended.sessionUpdate?.status).toBe(201);
    expect(ended.cdr?.status).toBe(201);
    expect(received.map((r) => r.path)).toEqual(['/su', '/su', '/su', '/cdr']);
    expect(received.every((r) => r.headers.authorization === 'Bearer profile-secret-123')).toBe(true);
    expect(received.slice(0, 3).map((r) => r.body.status)).toEqual(['ringing', 'connected', 'connected']);
    expect(received[2]!.body).toMatchObject({ token: s.token, domain: 'hooks.cloudonix.net', action: 'updated', eventId: expect.any(String), callEndTime: s.callStartTime + 125_000 });
    expect(received[3]!.body).toMatchObject({ domain: 'hooks.cloudonix.net', disposition: 'ANSWER', duration: 125, billsec: 121, session: { token: s.token } });
  });

  it('ends an unanswered call with its disposition, and sends nothing where no endpoint is set', async () => {
    received.length = 0;
    fake.domains.add('quiet.cloudonix.net');
    const quiet = fake.sessions.add('quiet.cloudonix.net');
    expect(await fake.emit(quiet.token, 'busy')).toEqual({ sessionUpdate: null, cdr: null });
    const s = fake.sessions.add('hooks.cloudonix.net');
    const r = await fake.emit(s.token, 'noanswer');
    expect(r.cdr?.body).toMatchObject({ disposition: 'NOANSWER', billsec: 0 });
    expect(received.map((x) => x.path)).toEqual(['/su', '/cdr']);
  });
});
