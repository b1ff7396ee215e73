import type { ExchangeLog } from './exchange-log.js';

/** What an admin's open pages fetch: the call list, live calls, today's numbers, analytics, agents. */
const ROUTES: readonly [name: string, path: string][] = [
  ['admin call-records', '/api/call-records?limit=25'],
  ['admin calls-active', '/api/calls/active'],
  ['admin calls-stats', '/api/calls/stats'],
  ['admin analytics', '/api/analytics/metrics'],
  ['admin voice-agents', '/api/voice-agents'],
];

/**
 * `readers` admins each reading one route after another every `everyMs` until
 * `until()`, with a bearer token. Under the per-token limit (1,200 a minute by default).
 */
export async function runAdminReads(base: string, token: string, readers: number, everyMs: number, until: () => number, log: ExchangeLog): Promise<void> {
  const reader = async (offset: number) => {
    for (let i = offset; Date.now() < until(); i += 1) {
      const [route, path] = ROUTES[i % ROUTES.length]!;
      const at = Date.now();
      const t0 = performance.now();
      try {
        const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
        await res.arrayBuffer();
        log.add({ route, status: res.status, at, ms: performance.now() - t0, upstream: res.headers.get('x-bench-upstream') });
      } catch {
        log.add({ route, status: 0, at, ms: performance.now() - t0, upstream: null });
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  };
  await Promise.all(Array.from({ length: readers }, (_, i) => reader(i)));
}
