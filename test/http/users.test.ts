import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/backends.js';
import { registerTenant, uniqueSuffix, type TenantActors } from '../support/actors.js';
import { runTenantIsolationTests, type IsolationContext } from '../support/isolation-matrix.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: users`, () => {
    let t: TestApp;
    let a: TenantActors;
    let b: TenantActors;
    const ids: Record<string, number> = {};
    beforeAll(async () => {
      t = await createTestApp(dialect);
      a = await registerTenant(t, 'alpha');
      b = await registerTenant(t, 'beta');
      ids.analyst = a.analyst.id;
    });
    afterAll(async () => t?.close());

    const newUser = (token: string, over: Record<string, unknown> = {}) => {
      const s = uniqueSuffix();
      return t.request({
        method: 'POST',
        url: '/api/users',
        token,
        payload: { name: `User ${s}`, email: `u-${s}@alpha.test`, password: 'a good password', role: 'analyst', ...over },
      });
    };

    it('an admin creates an analyst who can sign in, read, and is refused every write', async () => {
      const s = uniqueSuffix();
      const created = await newUser(a.admin.token, { email: `reader-${s}@alpha.test`, password: 'reader password' });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ role: 'analyst', active: true, tenant_id: a.tenantId });
      const login = await t.request({ method: 'POST', url: '/api/auth/login', payload: { email: `reader-${s}@alpha.test`, password: 'reader password' } });
      const token = login.json().token as string;
      expect((await t.request({ method: 'GET', url: '/api/tenant', token })).statusCode).toBe(200);
      const writes = [
        { method: 'POST' as const, url: '/api/users', payload: { name: 'x', email: `x-${s}@a.test`, password: 'password123' } },
        { method: 'PATCH' as const, url: `/api/users/${a.admin.id}`, payload: { role: 'analyst' } },
        { method: 'DELETE' as const, url: `/api/users/${a.admin.id}` },
        { method: 'PUT' as const, url: '/api/tenant', payload: { name: 'Hijacked' } },
        { method: 'POST' as const, url: '/api/tenant/webhook-credentials/rotate' },
      ];
      for (const w of writes) {
        const res = await t.request({ ...w, token });
        expect(res.statusCode, `${w.method} ${w.url}`).toBe(403);
      }
    });

    it('lists users with pagination and filters', async () => {
      for (let i = 0; i < 3; i++) expect((await newUser(a.admin.token)).statusCode).toBe(201);
      const page = await t.request({ method: 'GET', url: '/api/users?per_page=2&page=1', token: a.admin.token });
      expect(page.statusCode).toBe(200);
      const body = page.json();
      expect(body.data).toHaveLength(2);
      expect(body.meta.per_page).toBe(2);
      expect(body.meta.total).toBeGreaterThanOrEqual(5);
      expect(body.meta.last_page).toBe(Math.ceil(body.meta.total / 2));
      expect(body.data.every((u: { tenant_id: number }) => u.tenant_id === a.tenantId)).toBe(true);
      const admins = await t.request({ method: 'GET', url: '/api/users?role=admin', token: a.admin.token });
      expect(admins.json().data.map((u: { id: number }) => u.id)).toEqual([a.admin.id]);
      const search = await t.request({ method: 'GET', url: `/api/users?search=${encodeURIComponent(a.analyst.email.slice(0, 12))}`, token: a.admin.token });
      expect(search.json().data.map((u: { id: number }) => u.id)).toContain(a.analyst.id);
      const literal = await t.request({ method: 'GET', url: '/api/users?search=%25', token: a.admin.token });
      expect(literal.json().data).toEqual([]);
      for (const bad of ['per_page=0', 'per_page=101', 'page=-1', 'role=owner', 'active=maybe']) {
        const res = await t.request({ method: 'GET', url: `/api/users?${bad}`, token: a.admin.token });
        expect(res.statusCode, bad).toBe(422);
      }
    });

    it('refuses a duplicate email with 409 naming the field', async () => {
      const res = await newUser(a.admin.token, { email: b.admin.email });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.details.fields).toHaveProperty('email');
    });

    it('changes a role, and the new role takes effect on the next request', async () => {
      const created = (await newUser(a.admin.token, { password: 'promote me please' })).json();
      const login = await t.request({ method: 'POST', url: '/api/auth/login', payload: { email: created.email, password: 'promote me please' } });
      const token = login.json().token as string;
      expect((await newUser(token)).statusCode).toBe(403);
      const promoted = await t.request({ method: 'PATCH', url: `/api/users/${created.id}`, token: a.admin.token, payload: { role: 'admin' } });
      expect(promoted.json().role).toBe('admin');
      expect((await newUser(token)).statusCode).toBe(201);
    });

    it('deactivating a user signs them out and stops their login', async () => {
      const created = (await newUser(a.admin.token, { password: 'soon deactivated' })).json();
      const token = (await t.request({ method: 'POST', url: '/api/auth/login', payload: { email: created.email, password: 'soon deactivated' } })).json().token;
      const del = await t.request({ method: 'DELETE', url: `/api/users/${created.id}`, token: a.admin.token });
      expect(del.statusCode).toBe(200);
      expect(del.json().active).toBe(false);
      expect((await t.request({ method: 'GET', url: '/api/auth/me', token })).statusCode).toBe(401);
      const again = await t.request({ method: 'POST', url: '/api/auth/login', payload: { email: created.email, password: 'soon deactivated' } });
      expect(again.statusCode).toBe(403);
      const back = await t.request({ method: 'PATCH', url: `/api/users/${created.id}`, token: a.admin.token, payload: { active: true } });
      expect(back.json().active).toBe(true);
    });

    it('never lets the last active admin be demoted or deactivated', async () => {
      const c = await registerTenant(t, 'solo');
      for (const req of [
        { method: 'PATCH' as const, payload: { role: 'analyst' } },
        { method: 'PATCH' as const, payload: { active: false } },
        { method: 'DELETE' as const },
      ]) {
        const res = await t.request({ ...req, url: `/api/users/${c.admin.id}`, token: c.admin.token });
        expect(res.statusCode).toBe(409);
        expect(res.json().error.code).toBe('last_admin');
      }
      // With a second admin, either may step down, but not both.
      await t.request({ method: 'PATCH', url: `/api/users/${c.analyst.id}`, token: c.admin.token, payload: { role: 'admin' } });
      const results = await Promise.all([
        t.request({ method: 'PATCH', url: `/api/users/${c.admin.id}`, token: c.admin.token, payload: { role: 'analyst' } }),
        t.request({ method: 'PATCH', url: `/api/users/${c.analyst.id}`, token: c.analyst.token, payload: { role: 'analyst' } }),
      ]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
      const admins = await t.runtime.services.repos.users.countActiveAdmins(c.tenantId);
      expect(admins).toBe(1);
    });

    it('records user changes in the audit log without secrets', async () => {
      const created = (await newUser(a.admin.token, { password: 'audited password' })).json();
      const rows = await t.runtime.services.repos.auditLog.listForEntity(a.tenantId, 'user', created.id);
      expect(rows.map((r) => r.action)).toEqual(['user.created']);
      expect(rows[0]?.user_id).toBe(a.admin.id);
      expect(JSON.stringify(rows)).not.toContain('audited password');
      expect(JSON.stringify(rows)).not.toContain('scrypt$');
    });

    it('answers 404 for ids that do not exist or are malformed', async () => {
      for (const id of ['999999', 'abc', '-1', '1.5', '99999999999999']) {
        const res = await t.request({ method: 'GET', url: `/api/users/${id}`, token: a.admin.token });
        expect(res.statusCode, id).toBe(404);
      }
    });

    describe('isolation matrix', () => {
      const ctx = (): IsolationContext => ({ t, a, b, ids });
      runTenantIsolationTests(ctx, [
        { method: 'GET', url: () => '/api/users', scope: 'own', access: 'admin' },
        { method: 'GET', url: (i) => `/api/users/${i.analyst}`, scope: 'row', access: 'admin' },
        {
          method: 'PATCH',
          url: (i) => `/api/users/${i.analyst}`,
          payload: () => ({ name: 'Renamed by a stranger' }),
          scope: 'row',
          access: 'write',
          readBack: (i) => `/api/users/${i.analyst}`,
        },
        { method: 'DELETE', url: (i) => `/api/users/${i.analyst}`, scope: 'row', access: 'write', readBack: (i) => `/api/users/${i.analyst}` },
        {
          method: 'POST',
          url: () => '/api/users',
          payload: () => ({ name: 'x', email: `m-${uniqueSuffix()}@x.test`, password: 'password123' }),
          scope: 'own',
          access: 'write',
        },
        { method: 'GET', url: () => '/api/auth/me', scope: 'own', access: 'read' },
        { method: 'GET', url: () => '/api/tenant', scope: 'own', access: 'read' },
        { method: 'PUT', url: () => '/api/tenant', payload: () => ({ name: 'Renamed' }), scope: 'own', access: 'write', readBack: () => '/api/tenant' },
        { method: 'POST', url: () => '/api/tenant/webhook-credentials/rotate', scope: 'own', access: 'write', readBack: () => '/api/tenant' },
      ]);
    });
  });
}
