import { parseArgs } from 'node:util';
import { createUserBody } from '../core/schemas/user.js';
import type { Runtime } from './runtime.js';

/**
 * `create-user --domain acme.cloudonix.net --email a@b.c --name "A B" --role admin`
 * (password from --password or the NEW_USER_PASSWORD variable, so it stays out of shell history).
 */
export async function createUserCommand(runtime: Runtime, argv: string[]): Promise<string> {
  const { values } = parseArgs({
    args: argv,
    options: {
      domain: { type: 'string' },
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string', default: 'admin' },
      password: { type: 'string' },
    },
  });
  if (!values.domain) throw new Error('--domain is required (the tenant\'s Cloudonix domain)');
  const tenant = await runtime.services.repos.tenants.findByDomain(values.domain);
  if (!tenant) throw new Error(`no tenant has the domain ${values.domain}`);
  const input = createUserBody.safeParse({
    name: values.name ?? values.email,
    email: values.email,
    password: values.password ?? process.env.NEW_USER_PASSWORD,
    role: values.role,
  });
  if (!input.success) {
    throw new Error(input.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'));
  }
  const actor = { principal: { userId: 0, tenantId: tenant.id, role: 'admin' as const, tokenId: 0 }, ip: null };
  const user = await runtime.services.users.create(actor, input.data);
  return `created ${user.role} ${user.email} (id ${user.id}) in ${tenant.domain}`;
}
