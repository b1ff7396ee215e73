import { parseArgs } from 'node:util';
import { z } from 'zod';
import { domainInputField, emailField, personNameField } from '../core/schemas/fields.js';
import type { Runtime } from './runtime.js';
import { operatorBaseUrl } from './reset-password.js';

const input = z.object({
  tenant_name: z.string().trim().min(1, { message: 'is required' }).max(120),
  domain: domainInputField,
  name: personNameField,
  email: emailField,
  password: z.string().max(128).optional(),
});

/**
 * `create-tenant --domain acme.cloudonix.net --name Acme --email admin@acme.com [--admin-name "A B"]`:
 * how an operator adds a tenant when SIGNUP is `first` or `closed`. The admin's password comes from
 * --password or NEW_USER_PASSWORD; without one, a single-use link to set it is printed.
 */
export async function createTenantCommand(runtime: Runtime, argv: string[]): Promise<string> {
  const { values } = parseArgs({
    args: argv,
    options: {
      domain: { type: 'string' },
      name: { type: 'string' },
      email: { type: 'string' },
      'admin-name': { type: 'string' },
      password: { type: 'string' },
    },
  });
  const parsed = input.safeParse({
    tenant_name: values.name ?? values.domain,
    domain: values.domain,
    name: values['admin-name'] ?? values.email,
    email: values.email,
    password: values.password ?? process.env.NEW_USER_PASSWORD,
  });
  if (!parsed.success) {
    const flag = (path: string) => ({ tenant_name: 'name', name: 'admin-name' })[path] ?? path;
    throw new Error(parsed.error.issues.map((i) => `--${flag(i.path.join('.'))}: ${i.message}`).join('\n'));
  }
  const { services } = runtime;
  const admin = await services.auth.createTenant(parsed.data);
  const created = `created tenant ${parsed.data.domain} (id ${admin.tenant_id}) with admin ${admin.email}`;
  if (parsed.data.password !== undefined) return created;
  return `${created}\n${await services.passwords.operatorReset(admin.email, undefined, operatorBaseUrl(runtime))}`;
}
