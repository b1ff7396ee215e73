import type { CallEventView } from '../../../../core/schemas/call-records.js';
import { JsonBlock } from '../../../components/ui/json-block.js';
import { formatTime, humanize } from '../../../lib/format.js';
import { callEventText } from '../call-event-text.js';

/** Everything that happened to the call, oldest first, each with the state change it caused. */
export function CallTimeline({ events, agentName }: { events: readonly CallEventView[]; agentName: (id: number) => string }) {
  if (events.length === 0) return <p className="text-sm text-slate-600">No events recorded.</p>;
  return (
    <ol className="relative space-y-4 border-l border-slate-200 pl-5">
      {events.map((e) => {
        const text = callEventText(e, agentName);
        return (
          <li key={e.id} className="relative" data-event-type={e.event_type}>
            <span className="absolute -left-[1.6rem] top-1.5 size-2.5 rounded-full border-2 border-white bg-indigo-500 ring-1 ring-indigo-200" aria-hidden="true" />
            <div className="flex flex-wrap items-baseline gap-x-3 gap-y-0.5">
              <span className="text-sm font-medium text-slate-900">{text.title}</span>
              <time dateTime={e.occurred_at} className="text-xs tabular-nums text-slate-500">
                {formatTime(e.occurred_at)}
              </time>
            </div>
            {text.detail && <p className="text-xs text-slate-700">{text.detail}</p>}
            {e.from_status !== e.to_status && e.to_status && (
              <p className="text-xs text-slate-600">
                {e.from_status ? `${humanize(e.from_status)} → ` : ''}
                {humanize(e.to_status)}
              </p>
            )}
            {e.payload !== null && e.payload !== undefined && (
              <details className="mt-1 text-xs">
                <summary className="cursor-pointer text-slate-600 hover:text-slate-900">Details</summary>
                <div className="mt-1">
                  <JsonBlock value={e.payload} label={`Details of ${text.title}`} />
                </div>
              </details>
            )}
          </li>
        );
      })}
    </ol>
  );
}
