import type { ReactNode } from 'react';
import { Badge } from '../../../components/ui/badge.js';
import { Table, Td, Th } from '../../../components/ui/table.js';
import { formatDateTime, formatDuration } from '../../../lib/format.js';
import type { Cdr } from '../api/get-cdrs.js';
import { OpenCell } from '../../../components/ui/open-cell.js';

/** CDRs as Cloudonix sent them, newest first. */
export function CdrsTable({ cdrs, onOpen, footer }: { cdrs: readonly Cdr[]; onOpen: (id: number) => void; footer: ReactNode }) {
  return (
    <Table caption="Call detail records" footer={footer}>
      <thead>
        <tr>
          <Th>Received</Th>
          <Th>From</Th>
          <Th>To</Th>
          <Th>Disposition</Th>
          <Th className="text-right">Duration</Th>
          <Th className="text-right">Billed</Th>
          <Th>Session</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {cdrs.map((c) => (
          <tr key={c.id} className="cursor-pointer hover:bg-slate-50" onClick={() => onOpen(c.id)}>
            <OpenCell onOpen={() => onOpen(c.id)}>{formatDateTime(c.received_at)}</OpenCell>
            <Td className="whitespace-nowrap font-mono text-xs">{c.from ?? '—'}</Td>
            <Td className="whitespace-nowrap font-mono text-xs">{c.to ?? '—'}</Td>
            <Td>
              <Badge tone={c.disposition_normalized === 'answered' ? 'green' : c.disposition_normalized === 'failed' ? 'red' : 'gray'}>{c.disposition ?? '—'}</Badge>
            </Td>
            <Td className="text-right tabular-nums">{formatDuration(c.duration_seconds)}</Td>
            <Td className="text-right tabular-nums">{formatDuration(c.billsec)}</Td>
            <Td className="max-w-40 truncate font-mono text-xs" title={c.session_token ?? undefined}>
              {c.session_token ?? '—'}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
