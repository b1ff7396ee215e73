import type { ReactNode } from 'react';
import { Badge, type Tone } from '../../../components/ui/badge.js';
import { JsonBlock } from '../../../components/ui/json-block.js';
import { Table, Td, Th } from '../../../components/ui/table.js';
import { formatDateTime, humanize } from '../../../lib/format.js';
import type { WebhookAuditEntry } from '../api/get-webhook-audit.js';
import { DetailsHeader, ExpandableRow } from './expandable-row.js';

// A summary of refused requests not stored one by one (`suppressed`) is bookkeeping, not an alarm.
const outcomeTone = (outcome: string): Tone => (outcome === 'ok' ? 'green' : outcome === 'duplicate' || outcome === 'suppressed' ? 'gray' : outcome === 'error' ? 'red' : 'amber');

/** Webhooks received from Cloudonix with their outcome; open a row for the request as received. */
export function WebhookAuditTable({ entries, footer }: { entries: readonly WebhookAuditEntry[]; footer: ReactNode }) {
  return (
    <Table caption="Webhooks received" footer={footer}>
      <thead>
        <tr>
          <DetailsHeader />
          <Th>Received</Th>
          <Th>Webhook</Th>
          <Th>Outcome</Th>
          <Th>Session</Th>
          <Th className="text-right">Time</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {entries.map((e) => (
          <ExpandableRow
            key={e.id}
            columns={6}
            label={`${humanize(e.event_type)} at ${formatDateTime(e.received_at)}`}
            cells={
              <>
                <Td className="whitespace-nowrap">{formatDateTime(e.received_at)}</Td>
                <Td className="whitespace-nowrap">
                  {humanize(e.event_type)} <span className="text-xs text-slate-500">{e.method}</span>
                </Td>
                <Td>
                  <Badge tone={outcomeTone(e.outcome)}>
                    {humanize(e.outcome)} · {e.status_code}
                  </Badge>
                  {e.error && <p className="mt-1 max-w-xs truncate text-xs text-red-700">{e.error}</p>}
                </Td>
                <Td className="max-w-40 truncate font-mono text-xs" title={e.session_token ?? undefined}>
                  {e.session_token ?? '—'}
                </Td>
                <Td className="text-right tabular-nums">{e.duration_ms === null ? '—' : `${e.duration_ms} ms`}</Td>
              </>
            }
            details={
              <div className="space-y-2">
                <p className="break-all font-mono text-xs text-slate-700">
                  {e.method} {e.path}
                </p>
                <JsonBlock value={e.payload} label="Request as received" />
              </div>
            }
          />
        ))}
      </tbody>
    </Table>
  );
}
