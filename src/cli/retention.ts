import type { RetentionCounts } from '../services/retention-service.js';
import type { Runtime } from './runtime.js';

function line(r: RetentionCounts): string {
  const who = r.tenantId === null ? 'requests for unknown domains' : `tenant ${r.tenantId} ${r.domain ?? ''}`.trim();
  const removed = `${r.call_records} call records, ${r.call_events} call events, ${r.cdrs} CDRs, ${r.webhook_audit} webhook audit rows, ${r.alerts} resolved alerts`;
  return `${who} (older than ${r.days} days): removed ${removed}${r.error ? ` — FAILED: ${r.error}` : ''}`;
}

/**
 * `retention`: runs the purge the server runs daily, now, and says what it removed
 * per tenant. Tenants keeping data forever (retention_days 0) are not listed.
 * A tenant whose purge failed is named and makes the exit status 1.
 */
export async function retentionCommand(runtime: Runtime): Promise<string> {
  const results = await runtime.services.retention.runOnce();
  if (results.some((r) => r.error)) process.exitCode = 1;
  const total = results.reduce((n, r) => n + r.call_records + r.call_events + r.cdrs + r.webhook_audit + r.alerts, 0);
  return [...results.map(line), `${total} rows removed in total`].join('\n');
}
