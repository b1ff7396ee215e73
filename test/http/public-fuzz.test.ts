import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS } from '../support/backends.js';
import { newSession, parseCxml, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { issueTokenDirectly } from '../support/direct-token.js';
import { createAgent, createGroup, createInboundRule } from '../support/fixtures.js';
import { CLOUDONIX_QUERY_KEYS, LIST_QUERY_KEYS, bodies, contentTypes, pathValues, queryStrings } from '../support/request-fuzz.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Inputs per database: every public route gets about 120 of them. */
const INPUTS = 10_000;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
type Method = (typeof METHODS)[number];

interface Route {
  method: Method;
  /** OpenAPI template: `/api/voice-agents/{id}`. */
  path: string;
}

/** Every route the app documents, one per method, and the undocumented public ones. */
async function publicRoutes(t: TestApp): Promise<Route[]> {
  const doc = (await t.request({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, Record<string, unknown>> }>();
  const routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => ({ method: m.toUpperCase() as Method, path })));
  const extras: Route[] = ['/openapi.json', '/metrics', '/docs', '/docs/json', '/ws', '/', '/nothing/here', '/api/nothing'].map((path) => ({ method: 'GET', path }));
  return [...routes, ...extras, { method: 'POST', path: '/' }, { method: 'DELETE', path: '/api/nothing' }];
}

const material = fc.record({
  method: fc.oneof({ weight: 12, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...METHODS) }),
  params: fc.tuple(pathValues, pathValues),
  tenantDomain: fc.oneof({ weight: 8, arbitrary: fc.constant(true) }, { weight: 2, arbitrary: fc.constant(false) }),
  query: queryStrings([...LIST_QUERY_KEYS, ...CLOUDONIX_QUERY_KEYS]),
  contentType: contentTypes,
  body: bodies,
  auth: fc.oneof({ weight: 6, arbitrary: fc.constant('admin') }, { weight: 1, arbitrary: fc.constantFrom('analyst', 'none', 'junk') }),
  secret: fc.constantFrom('query', 'query', 'bearer', 'x-cx-apikey', 'wrong', 'none'),
});

const isVoiceRoute = (path: string) => /^\/api\/voice\/(application|callback)\/\{domain\}$/.test(path);
const isWebhook = (path: string) => path.startsWith('/api/voice/');

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: every public route, fuzzed`, () => {
    let t: TestApp;
    let a: TenantActors;
    let b: { domain: string; secret: string };
    const ids: Record<string, number[]> = {};
    beforeAll(async () => {
      t = await createTestApp(dialect);
      a = await registerTenant(t, 'fuzzed');
      // Real rows, so the fuzz reaches past "not found" into updates and deletions.
      const agents = [await createAgent(t, a.admin.token), await createAgent(t, a.admin.token)];
      const group = await createGroup(t, a.admin.token, 'priority', agents.map((agent_id) => ({ agent_id })));
      const detail = (await t.request({ method: 'GET', url: `/api/agent-groups/${group}`, token: a.admin.token })).json<{ members: { id: number }[] }>();
      const rule = await createInboundRule(t, a.admin.token, { pattern: '*', target_type: 'group', target_id: group });
      const outbound = await t.request({ method: 'POST', url: '/api/outbound-routing-rules', token: a.admin.token, payload: { name: 'out', caller_id: '+12125550100', destination_pattern: '+44*', trunk_config: { trunks: ['t1'] } } });
      const aSecret = await webhookSecret(t, a.admin.token);
      const session = newSession();
      await t.request({ method: 'POST', url: `/api/voice/application/${a.domain}?token=${aSecret}`, payload: voiceBody(a.domain, session) });
      await t.request({ method: 'POST', url: `/api/voice/session/cdr/${a.domain}?token=${aSecret}`, payload: { domain: a.domain, session: { token: session }, disposition: 'ANSWER', billsec: 5, duration: 9 } });
      const exported = await t.request({ method: 'POST', url: '/api/exports', token: a.admin.token, payload: { format: 'csv' } });
      const first = async (url: string) => (await t.request({ method: 'GET', url, token: a.admin.token })).json<{ data: { id: number }[] }>().data.map((r) => r.id);
      Object.assign(ids, {
        'voice-agents': agents,
        'agent-groups': [group],
        members: detail.members.map((m) => m.id),
        'inbound-routing-rules': [rule],
        'outbound-routing-rules': [outbound.json<{ id: number }>().id],
        'call-records': await first('/api/call-records'),
        cdr: await first('/api/cdr'),
        exports: [exported.json<{ id: number }>().id],
        users: [a.analyst.id],
      });
      const other = await registerTenant(t, 'fuzzed-webhooks');
      b = { domain: other.domain, secret: await webhookSecret(t, other.admin.token) };
      const agent = await createAgent(t, other.admin.token);
      await createInboundRule(t, other.admin.token, { pattern: '*', target_type: 'agent', target_id: agent });
    });
    afterAll(async () => t?.close());

    /** A path value: a real id of the resource the segment names, or junk. */
    function fill(path: string, params: readonly string[]): string {
      let n = 0;
      return path.replace(/\{(\w+)\}/g, (_, name: string, offset: number) => {
        const raw = params[n++] ?? '1';
        if (raw !== '<real>') return raw;
        const resource = name === 'memberId' ? 'members' : (path.slice(0, offset).split('/').filter(Boolean).at(-1) ?? '');
        const pool = ids[resource] ?? [1];
        return String(pool[n % pool.length]);
      });
    }

    it(`${INPUTS.toLocaleString('en')} requests: never a 5xx, errors in the one format, and CXML from the voice routes whenever the call is admitted`, async () => {
      const routes = await publicRoutes(t);
      const samples = fc.sample(material, { numRuns: INPUTS, seed: 20261124 });
      const statuses = new Map<number, number>();
      const perRoute = new Map<string, number>();
      let admittedVoice = 0;
      for (let i = 0; i < samples.length; i++) {
        const route = routes[i % routes.length]!;
        const m = samples[i]!;
        const method = m.method ?? route.method;
        let path = isWebhook(route.path) && m.tenantDomain ? route.path.replace('{domain}', b.domain) : route.path;
        path = fill(path, m.params);
        // The admin's own user is left alone: deactivating it would end the run's token.
        if (path.startsWith('/api/users/')) path = path.replace(new RegExp(`^/api/users/${a.admin.id}\\b`), `/api/users/${a.analyst.id}`);
        const headers: Record<string, string> = {};
        if (m.contentType !== undefined) headers['content-type'] = m.contentType;
        let query = m.query;
        if (isWebhook(route.path)) {
          if (m.secret === 'query') query += `${query ? '&' : ''}token=${encodeURIComponent(b.secret)}`;
          if (m.secret === 'wrong') query += `${query ? '&' : ''}token=wrong`;
          if (m.secret === 'bearer') headers.authorization = `Bearer ${b.secret}`;
          if (m.secret === 'x-cx-apikey') headers['x-cx-apikey'] = b.secret;
        } else if (m.auth === 'junk') {
          headers.authorization = 'Bearer vlb_junk';
        } else if (m.auth !== 'none') {
          const own = /^\/api\/auth\/(logout|refresh)$/.test(route.path);
          // Logout and refresh end the token they are sent with: those get one of their own.
          headers.authorization = `Bearer ${own ? await issueTokenDirectly(t, a.tenantId, a.analyst.id) : m.auth === 'admin' ? a.admin.token : a.analyst.token}`;
        }
        const url = query ? `${path}?${query}` : path;
        const res: LightMyRequestResponse = await t.request({ method, url, headers, ...(m.body !== undefined ? { payload: m.body } : {}) });
        const what = () => `${method} ${url.slice(0, 200)} [${m.contentType}] ${String(m.body).slice(0, 200)} → ${res.statusCode} ${res.body.slice(0, 300)}`;
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        perRoute.set(`${route.method} ${route.path}`, (perRoute.get(`${route.method} ${route.path}`) ?? 0) + 1);

        if (res.statusCode >= 500) throw new Error(`5xx: ${what()}`);
        if (res.statusCode >= 400 && method !== 'HEAD') {
          expect(res.headers['content-type'], what()).toContain('application/json');
          expect(typeof res.json<{ error: { code: unknown } }>().error.code, what()).toBe('string');
        }
        const voice = isVoiceRoute(route.path) && (method === 'GET' || method === 'POST');
        const admitted = voice && m.tenantDomain && ['query', 'bearer', 'x-cx-apikey'].includes(m.secret);
        if (admitted) {
          // A call of the tenant: whatever its body or query, Cloudonix gets CXML.
          expect(res.statusCode, what()).toBe(200);
          admittedVoice += 1;
        }
        if (voice && res.statusCode === 200) {
          expect(res.headers['content-type'], what()).toContain('application/xml');
          expect(() => parseCxml(res.body), what()).not.toThrow();
        }
      }
      console.log(JSON.stringify({ figures: 'public-fuzz', dialect: dialect.name, inputs: samples.length, routes: routes.length, admittedVoice, statuses: Object.fromEntries([...statuses].sort((x, y) => x[0] - y[0])) }));
      expect(perRoute.size).toBe(routes.length);
      expect(Math.min(...perRoute.values())).toBeGreaterThanOrEqual(Math.floor(INPUTS / routes.length));
      // Enough tenant calls to mean something; the share falls as routes are added (101 routes: ~177).
      expect(admittedVoice).toBeGreaterThan(100);
      expect(statuses.get(200) ?? 0).toBeGreaterThan(INPUTS / 10);
      expect((await t.request({ method: 'GET', url: '/up' })).statusCode).toBe(200);
    });
  });
}
