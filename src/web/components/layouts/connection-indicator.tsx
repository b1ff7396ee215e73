import { useLiveStatus, type LiveStatus } from '../../lib/live-events.js';

const looks: Record<LiveStatus, { label: string; title: string; dot: string; text: string }> = {
  live: { label: 'Live', title: 'Connected: changes appear as they happen.', dot: 'bg-emerald-500 animate-pulse', text: 'text-emerald-800' },
  polling: {
    label: 'Polling',
    title: 'Live updates are unavailable, so pages refresh every few seconds instead.',
    dot: 'bg-amber-500',
    text: 'text-amber-800',
  },
  connecting: { label: 'Connecting…', title: 'Connecting to live updates.', dot: 'bg-slate-400', text: 'text-slate-600' },
};

/** Whether pages update by themselves (WebSocket) or by polling. */
export function ConnectionIndicator() {
  const status = useLiveStatus();
  const look = looks[status];
  return (
    <p role="status" title={look.title} data-live-status={status} className={`flex shrink-0 items-center gap-1.5 rounded-full border border-slate-200 bg-white px-2.5 py-1 text-xs font-medium ${look.text}`}>
      <span className={`size-2 rounded-full ${look.dot}`} aria-hidden="true" />
      <span>{look.label}</span>
      <span className="sr-only">{look.title}</span>
    </p>
  );
}
