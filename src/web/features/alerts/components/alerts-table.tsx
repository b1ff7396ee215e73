import { Check } from 'lucide-react';
import type { ReactNode } from 'react';
import { Badge } from '../../../components/ui/badge.js';
import { Button } from '../../../components/ui/button.js';
import { Table, Td, Th } from '../../../components/ui/table.js';
import { formatDateTime } from '../../../lib/format.js';
import { useAcknowledgeAlert } from '../api/acknowledge-alert.js';
import type { Alert } from '../api/get-alerts.js';

/** Alerts with their state, what was seen, when, and (for admins) an acknowledge button. */
export function AlertsTable({ alerts, canWrite, footer }: { alerts: readonly Alert[]; canWrite: boolean; footer?: ReactNode }) {
  const ack = useAcknowledgeAlert();
  return (
    <>
      {ack.error && <p role="alert" className="mb-3 text-sm text-red-700">{ack.error.message}</p>}
      <Table caption="Alerts" footer={footer}>
        <thead>
          <tr>
            <Th>State</Th>
            <Th>Alert</Th>
            <Th className="hidden md:table-cell">Fired</Th>
            <Th className="hidden lg:table-cell">Resolved</Th>
            <Th className="text-right">
              <span className="sr-only">Acknowledge</span>
            </Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {alerts.map((a) => (
            <tr key={a.id} data-alert-id={a.id} data-alert-kind={a.kind}>
              <Td className="whitespace-nowrap">
                <Badge tone={a.state === 'firing' ? 'red' : 'green'} dot pulse={a.state === 'firing'}>
                  {a.state === 'firing' ? 'Firing' : 'Resolved'}
                </Badge>
              </Td>
              <Td>
                <p className="font-medium text-slate-900">
                  {a.label}
                  {a.subject_name && <span className="font-normal text-slate-600"> · {a.subject_name}</span>}
                </p>
                <p className="text-xs text-slate-600">{a.message}</p>
                <p className="text-xs text-slate-500 md:hidden">Fired {formatDateTime(a.fired_at)}</p>
              </Td>
              <Td className="hidden whitespace-nowrap md:table-cell">{formatDateTime(a.fired_at)}</Td>
              <Td className="hidden whitespace-nowrap lg:table-cell">{a.resolved_at ? formatDateTime(a.resolved_at) : '—'}</Td>
              <Td className="whitespace-nowrap text-right">
                {a.acknowledged_at ? (
                  <span className="inline-flex items-center gap-1 text-xs text-slate-600" title={`Acknowledged ${formatDateTime(a.acknowledged_at)}`}>
                    <Check className="size-3.5" aria-hidden="true" />
                    Acknowledged
                  </span>
                ) : (
                  canWrite && (
                    <Button variant="secondary" loading={ack.isPending && ack.variables === a.id} onClick={() => ack.mutate(a.id)} aria-label={`Acknowledge: ${a.label}${a.subject_name ? ` (${a.subject_name})` : ''}`}>
                      Acknowledge
                    </Button>
                  )
                )}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}
