import { Table, Td, Th } from '../../../components/ui/table.js';
import { CallStatusBadge } from '../../../components/ui/call-status-badge.js';
import { formatDuration, formatTime } from '../../../lib/format.js';
import { useNow } from '../../../lib/use-now.js';
import { OpenCell } from '../../../components/ui/open-cell.js';
import type { LiveCall } from '../api/get-active-calls.js';

/** Seconds since the call started, counted on this screen so it ticks between refreshes. */
function elapsed(call: LiveCall, now: number): number {
  const started = Date.parse(call.started_at);
  return Number.isNaN(started) ? call.duration_so_far_seconds : Math.max(call.duration_so_far_seconds, Math.floor((now - started) / 1000));
}

/** Calls in progress, with durations that tick every second; a row opens the call's details. */
export function LiveCallsTable({ calls, onOpen }: { calls: readonly LiveCall[]; onOpen: (id: number) => void }) {
  const now = useNow(1000);
  return (
    <Table caption="Calls in progress">
      <thead>
        <tr>
          <Th>Status</Th>
          <Th className="hidden md:table-cell">From</Th>
          <Th className="hidden sm:table-cell">To</Th>
          <Th>Agent</Th>
          <Th className="hidden lg:table-cell">Group</Th>
          <Th className="hidden sm:table-cell">Started</Th>
          <Th className="text-right">Duration</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {calls.map((call) => (
          <tr key={call.id} data-session={call.session_token} className="cursor-pointer hover:bg-slate-50" onClick={() => onOpen(call.id)}>
            <OpenCell onOpen={() => onOpen(call.id)} label={`Details of the call from ${call.from ?? 'unknown'} to ${call.to ?? 'unknown'}`}>
              <CallStatusBadge status={call.status} />
            </OpenCell>
            <Td className="hidden whitespace-nowrap font-mono text-xs md:table-cell">{call.from ?? '—'}</Td>
            <Td className="hidden whitespace-nowrap font-mono text-xs sm:table-cell">{call.to ?? '—'}</Td>
            <Td className="lg:whitespace-nowrap">{call.agent_name ?? <span className="text-slate-500">Choosing…</span>}</Td>
            <Td className="hidden whitespace-nowrap lg:table-cell">{call.group_name ?? '—'}</Td>
            <Td className="hidden whitespace-nowrap tabular-nums sm:table-cell">{formatTime(call.started_at)}</Td>
            <Td className="text-right font-medium tabular-nums text-slate-900">{formatDuration(elapsed(call, now))}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
