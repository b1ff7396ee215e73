import { randomBytes } from 'node:crypto';
import type { TestApp } from './test-app.js';

export interface TenantActors {
  tenantId: number;
  domain: string;
  admin: { id: number; email: string; password: string; token: string };
  analyst: { id: number; email: string; password: string; token: string };
}

export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

/** Registers a tenant through the API and adds an analyst, both signed in. */
export async function registerTenant(t: TestApp, label = 'acme'): Promise<TenantActors> {
  const s = uniqueSuffix();
  const domain = `${label}-${s}.cloudonix.net`;
  const admin = { email: `admin-${s}@${label}.test`, password: `admin-pass-${s}` };
  const reg = await t.request({
    method: 'POST',
    url: '/api/auth/register',
    payload: { name: `${label} admin`, email: admin.email, password: admin.password, password_confirmation: admin.password, tenant_name: label, domain },
  });
  if (reg.statusCode !== 201) throw new Error(`register failed: ${reg.statusCode} ${reg.body}`);
  const { user, token } = reg.json<{ user: { id: number; tenant_id: number }; token: string }>();
  const analystCreds = { email: `analyst-${s}@${label}.test`, password: `analyst-pass-${s}` };
  const created = await t.request({
    method: 'POST',
    url: '/api/users',
    token,
    payload: { name: `${label} analyst`, email: analystCreds.email, password: analystCreds.password, role: 'analyst' },
  });
  if (created.statusCode !== 201) throw new Error(`create analyst failed: ${created.statusCode} ${created.body}`);
  const login = await t.request({ method: 'POST', url: '/api/auth/login', payload: analystCreds });
  if (login.statusCode !== 200) throw new Error(`analyst login failed: ${login.statusCode} ${login.body}`);
  return {
    tenantId: user.tenant_id,
    domain,
    admin: { id: user.id, ...admin, token },
    analyst: { id: created.json<{ id: number }>().id, ...analystCreds, token: login.json<{ token: string }>().token },
  };
}
