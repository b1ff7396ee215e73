import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS } from '../support/backends.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: tenant directory`, () => {
    let t: TestApp;
    let a: TenantActors;
    beforeAll(async () => {
      t = await createTestApp(dialect);
      a = await registerTenant(t, 'cached');
    });
    afterAll(async () => t?.close());

    it('a flood of domains no tenant has does not push real tenants out of the cache', async () => {
      const { directory } = t.runtime.services.routing;
      const tenants = t.runtime.services.repos.tenants;
      const lookup = tenants.findByDomain.bind(tenants);
      let reads = 0;
      tenants.findByDomain = (domain) => {
        reads += 1;
        return lookup(domain);
      };
      try {
        expect((await directory.byDomain(a.domain))?.tenantId).toBe(a.tenantId);
        for (let i = 0; i <= 10_001; i++) expect(await directory.byDomain(`junk-${i}.example.net`)).toBeNull();
        // A domain seen before is answered from memory, miss or tenant.
        expect(await directory.byDomain('junk-10001.example.net')).toBeNull();
        reads = 0;
        expect((await directory.byDomain(a.domain))?.tenantId).toBe(a.tenantId);
        expect(reads).toBe(0);
      } finally {
        tenants.findByDomain = lookup;
      }
    });

    it("one tenant's change forgets that tenant only, under its old domain too; the others stay cached", async () => {
      const { directory } = t.runtime.services.routing;
      const b = await registerTenant(t, 'neighbour');
      const tenants = t.runtime.services.repos.tenants;
      const lookup = tenants.findByDomain.bind(tenants);
      const reads: string[] = [];
      tenants.findByDomain = (domain) => {
        reads.push(domain);
        return lookup(domain);
      };
      try {
        expect((await directory.byDomain(a.domain))?.tenantId).toBe(a.tenantId);
        expect((await directory.byDomain(b.domain))?.tenantId).toBe(b.tenantId);
        // The admin moves the tenant to a new domain, through the API as a user would.
        const moved = `moved-${a.domain}`;
        const res = await t.request({ method: 'PUT', url: '/api/tenant', headers: { authorization: `Bearer ${a.admin.token}` }, payload: { domain: moved } });
        expect(res.statusCode).toBe(200);
        reads.length = 0;
        // The neighbour is answered from memory: a database blip now would not leave its calls unanswered.
        expect((await directory.byDomain(b.domain))?.tenantId).toBe(b.tenantId);
        expect(reads).toEqual([]);
        // The changed tenant is read again: its old domain no longer finds it, its new one does.
        expect(await directory.byDomain(a.domain)).toBeNull();
        expect((await directory.byDomain(moved))?.tenantId).toBe(a.tenantId);
        expect(reads).toEqual([a.domain, moved]);
      } finally {
        tenants.findByDomain = lookup;
      }
    });
  });
}
