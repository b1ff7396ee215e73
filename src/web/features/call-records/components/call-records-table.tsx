import type { ReactNode } from 'react';
import { Badge } from '../../../components/ui/badge.js';
import { CallStatusBadge } from '../../../components/ui/call-status-badge.js';
import { SortHeader, Table, Td, Th } from '../../../components/ui/table.js';
import { formatDate, formatDateTime, formatDuration, formatTime, humanize } from '../../../lib/format.js';
import { useMediaQuery } from '../../../lib/use-media-query.js';
import type { CallRecord } from '../api/get-call-records.js';
import { CallAgent } from './call-agent.js';
import { OpenCell } from '../../../components/ui/open-cell.js';
import { OutcomeReasonText } from './outcome-reason-text.js';

interface CallRecordsTableProps {
  records: readonly CallRecord[];
  sort: string;
  onSort: (sort: string) => void;
  onOpen: (id: number) => void;
  footer: ReactNode;
}

/** Past calls; the start time opens the call's details. */
export function CallRecordsTable({ records, sort, onSort, onOpen, footer }: CallRecordsTableProps) {
  // Phones: the status sits under the time, so the first screenful says how each call went
  // (as its own column it came half-cut at the scroll edge). Tailwind's sm breakpoint.
  const statusColumn = useMediaQuery('(min-width: 640px)');
  return (
    <Table caption="Call records" footer={footer}>
      <thead>
        <tr>
          <SortHeader label="Started" field="started_at" sort={sort} onSort={onSort} />
          <Th className="hidden lg:table-cell">Direction</Th>
          <Th className="hidden sm:table-cell">From → to</Th>
          <Th>Agent · group</Th>
          {statusColumn && <SortHeader label="Status" field="status" sort={sort} onSort={onSort} />}
          <Th>Outcome</Th>
          <SortHeader label="Duration" field="duration" sort={sort} onSort={onSort} className="text-right" />
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {records.map((r) => (
          <tr key={r.id} className="cursor-pointer hover:bg-slate-50" data-session={r.session_token} onClick={() => onOpen(r.id)}>
            <OpenCell
              onOpen={() => onOpen(r.id)}
              label={`Details of the call at ${formatDateTime(r.started_at)} from ${r.from ?? 'unknown'}`}
              after={
                !statusColumn && (
                  <span className="mt-1 block">
                    <CallStatusBadge status={r.status} />
                  </span>
                )
              }
            >
              {formatDate(r.started_at)}
              <span className="block text-left text-xs font-normal text-slate-500">{formatTime(r.started_at)}</span>
            </OpenCell>
            <Td className="hidden whitespace-nowrap lg:table-cell">
              {humanize(r.direction)}
              {r.is_test && (
                <span className="mt-1 block">
                  <Badge tone="violet">Test call</Badge>
                </span>
              )}
            </Td>
            <Td className="hidden whitespace-nowrap font-mono text-xs sm:table-cell">
              {r.from ?? '—'}
              <span className="block text-slate-500">→ {r.to ?? '—'}</span>
            </Td>
            <Td className="lg:whitespace-nowrap">
              <CallAgent call={r} />
              {r.group_name && <span className="block text-xs text-slate-500">{r.group_name}</span>}
            </Td>
            {statusColumn && (
              <Td>
                <CallStatusBadge status={r.status} />
              </Td>
            )}
            <Td className="lg:whitespace-nowrap">
              <OutcomeReasonText reason={r.outcome_reason} />
            </Td>
            <Td className="text-right tabular-nums">{formatDuration(r.duration_seconds)}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
