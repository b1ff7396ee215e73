import type { InjectOptions } from 'fastify';
import { expect, it } from 'vitest';
import type { TenantActors } from './actors.js';
import type { TestApp } from './test-app.js';

/**
 * The cross-tenant and role matrix every resource suite runs for its routes:
 * - no token → 401;
 * - tenant B's admin → 404 for tenant A's rows (never 403: that would reveal they exist),
 *   and a write attempt leaves A's row exactly as it was;
 * - tenant A's analyst → 403 on writes (and on admin-only reads), 2xx on reads;
 * - tenant A's admin → 2xx on reads (so the 404s above are not a broken route).
 *
 * Routes are declared at collection time; ids come from `setup`, which runs in a
 * `beforeAll` of the calling suite.
 */
export interface IsolationContext {
  t: TestApp;
  a: TenantActors;
  b: TenantActors;
  /** Ids of tenant A's rows, named by the suite (`user`, `agent`, ...). */
  ids: Record<string, number>;
}

export interface IsolationRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: (ids: Record<string, number>) => string;
  payload?: (ids: Record<string, number>) => unknown;
  /**
   * `row`: the URL names one of A's rows, so B must get 404.
   * `own`: the URL means "my tenant's ..." (e.g. /api/tenant): B gets its own data, never A's.
   */
  scope: 'row' | 'own';
  /** `read` for GETs; `write` for changes; `admin` for reads reserved to admins; `member` for actions any user may take. */
  access: 'read' | 'write' | 'admin' | 'member';
  /** How to read the row back to prove a refused write changed nothing. */
  readBack?: (ids: Record<string, number>) => string;
}

function label(r: IsolationRoute): string {
  return `${r.method} ${r.url(new Proxy({}, { get: (_, k) => `:${String(k)}` }) as Record<string, number>)}`;
}

function inject(ctx: IsolationContext, r: IsolationRoute, token: string | undefined): Promise<{ statusCode: number; body: string }> {
  const opts: InjectOptions & { token?: string } = { method: r.method, url: r.url(ctx.ids) };
  if (token) opts.token = token;
  if (r.payload) opts.payload = r.payload(ctx.ids) as InjectOptions['payload'];
  return ctx.t.request(opts);
}

export function runTenantIsolationTests(getContext: () => IsolationContext, routes: readonly IsolationRoute[]): void {
  for (const r of routes) {
    const name = label(r);

    it(`${name}: no token → 401`, async () => {
      const res = await inject(getContext(), r, undefined);
      expect(res.statusCode).toBe(401);
      expect(JSON.parse(res.body).error.code).toBe('unauthenticated');
    });

    it(`${name}: another tenant's admin ${r.scope === 'row' ? 'gets 404' : 'never sees this tenant'}`, async () => {
      const ctx = getContext();
      const before = r.readBack ? await ctx.t.request({ method: 'GET', url: r.readBack(ctx.ids), token: ctx.a.admin.token }) : undefined;
      const res = await inject(ctx, r, ctx.b.admin.token);
      if (r.scope === 'row') {
        expect(res.statusCode).toBe(404);
        expect(JSON.parse(res.body).error.code).toBe('not_found');
      } else {
        expect(res.statusCode).toBeLessThan(500);
        expect(res.body).not.toContain(ctx.a.domain);
      }
      if (r.readBack && before) {
        const after = await ctx.t.request({ method: 'GET', url: r.readBack(ctx.ids), token: ctx.a.admin.token });
        expect(after.body).toBe(before.body);
      }
    });

    if (r.access === 'write' || r.access === 'admin') {
      it(`${name}: an analyst gets 403`, async () => {
        const ctx = getContext();
        const res = await inject(ctx, r, ctx.a.analyst.token);
        expect(res.statusCode).toBe(403);
        expect(JSON.parse(res.body).error.code).toBe('forbidden');
      });
    }

    if (r.access === 'read') {
      it(`${name}: an analyst and an admin of the tenant can read it`, async () => {
        const ctx = getContext();
        expect((await inject(ctx, r, ctx.a.analyst.token)).statusCode).toBe(200);
        expect((await inject(ctx, r, ctx.a.admin.token)).statusCode).toBe(200);
      });
    }
  }
}
