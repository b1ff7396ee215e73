import { parseArgs } from 'node:util';
import { seedCalls } from '../services/seeding/seed-calls.js';
import { systemClock } from '../services/clock.js';
import type { Runtime } from './runtime.js';

/** `seed --domain acme.cloudonix.net --calls 10000 [--days 60] [--seed 7]`: synthetic calls for demos and benchmarks. */
export async function seedCommand(runtime: Runtime, argv: string[]): Promise<string> {
  const { values } = parseArgs({ args: argv, options: { domain: { type: 'string' }, calls: { type: 'string', default: '1000' }, days: { type: 'string', default: '60' }, seed: { type: 'string' } } });
  if (!values.domain) throw new Error("--domain is required (the tenant's Cloudonix domain)");
  const calls = Number(values.calls);
  const days = Number(values.days);
  if (!Number.isInteger(calls) || calls < 1 || calls > 10_000_000) throw new Error('--calls must be a whole number from 1 to 10,000,000');
  if (!Number.isInteger(days) || days < 1 || days > 3650) throw new Error('--days must be a whole number from 1 to 3650');
  const tenant = await runtime.services.repos.tenants.findByDomain(values.domain);
  if (!tenant) throw new Error(`no tenant has the domain ${values.domain}`);
  const started = Date.now();
  const result = await seedCalls({ store: runtime.store, rollups: runtime.services.rollups, clock: systemClock }, Number(tenant.id), calls, {
    days,
    ...(values.seed ? { seed: Number(values.seed) } : {}),
    onProgress: (done) => {
      if (done % 50_000 === 0) process.stderr.write(`  ${done} calls…\n`);
    },
  });
  return `seeded ${result.calls} calls and ${result.cdrs} CDRs over ${days} days into ${tenant.domain}${result.agents && result.groups ? ` (created ${result.agents} agents, ${result.groups} groups)` : ''} in ${((Date.now() - started) / 1000).toFixed(1)} s`;
}
