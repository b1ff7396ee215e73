import { randomBytes } from 'node:crypto';

/** What the benchmark needs to know about the tenant it created through the API. */
export interface BenchTenant {
  domain: string;
  secret: string;
  adminToken: string;
  /** The admin's sign-in, for benchmarks that sign in. */
  adminEmail: string;
  adminPassword: string;
  agentIds: number[];
  groupId: number;
}

async function api<T>(base: string, method: string, path: string, body: unknown, token?: string): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${base}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/**
 * Registers a tenant, two VAPI agents, a round-robin group holding both and a
 * `*` inbound rule to the group — all through the public API, as an admin would.
 */
export async function createBenchTenant(base: string): Promise<BenchTenant> {
  const s = randomBytes(4).toString('hex');
  const domain = `bench-${s}.cloudonix.net`;
  const password = `bench-pass-${s}`;
  const email = `bench-${s}@bench.test`;
  const { token } = await api<{ token: string }>(base, 'POST', '/api/auth/register', {
    name: 'Bench admin',
    email,
    password,
    password_confirmation: password,
    tenant_name: 'Bench',
    domain,
  });
  const agentIds: number[] = [];
  for (const [i, number] of ['+12125551001', '+12125551002'].entries()) {
    const agent = await api<{ id: number }>(base, 'POST', '/api/voice-agents', { name: `Bench agent ${i + 1}`, provider: 'vapi', service_value: number }, token);
    agentIds.push(agent.id);
  }
  const group = await api<{ id: number }>(base, 'POST', '/api/agent-groups', { name: 'Bench group', strategy: 'round_robin' }, token);
  for (const agentId of agentIds) await api(base, 'POST', `/api/agent-groups/${group.id}/members`, { agent_id: agentId }, token);
  await api(base, 'POST', '/api/inbound-routing-rules', { pattern: '*', target_type: 'group', target_id: group.id }, token);
  const tenant = await api<{ webhook_secret?: string }>(base, 'GET', '/api/tenant', undefined, token);
  if (!tenant.webhook_secret) throw new Error('GET /api/tenant did not return webhook_secret to the admin');
  return { domain, secret: tenant.webhook_secret, adminToken: token, adminEmail: email, adminPassword: password, agentIds, groupId: group.id };
}
