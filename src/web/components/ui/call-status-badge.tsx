import { humanize } from '../../lib/format.js';
import { Badge, type Tone } from './badge.js';

/** States a call moves through (core/routing/call-state.ts), with the colour and word people see. */
const looks: Record<string, { tone: Tone; label?: string; live?: boolean }> = {
  received: { tone: 'blue', live: true },
  queued: { tone: 'blue', live: true },
  routing: { tone: 'blue', live: true },
  connecting: { tone: 'amber', label: 'Ringing', live: true },
  connected: { tone: 'green', label: 'Connected', live: true },
  completed: { tone: 'green', label: 'Completed' },
  failed: { tone: 'red' },
  busy: { tone: 'violet' },
  no_answer: { tone: 'gray', label: 'No answer' },
};

export function CallStatusBadge({ status }: { status: string }) {
  const look = looks[status] ?? { tone: 'gray' as const };
  return (
    <Badge tone={look.tone} dot pulse={look.live ?? false}>
      {look.label ?? humanize(status)}
    </Badge>
  );
}
