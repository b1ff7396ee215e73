import { callStateLabel } from '../../../core/lifecycle/call-words.js';
import type { CallState } from '../../../core/routing/call-state.js';
import { Badge, type Tone } from './badge.js';

/** States a call moves through (core/routing/call-state.ts), with their colour; the word is the core's (call-words.ts). */
const looks: Readonly<Record<CallState, { tone: Tone; live?: boolean }>> = {
  received: { tone: 'blue', live: true },
  queued: { tone: 'blue', live: true },
  routing: { tone: 'blue', live: true },
  connecting: { tone: 'amber', live: true },
  connected: { tone: 'green', live: true },
  completed: { tone: 'green' },
  failed: { tone: 'red' },
  busy: { tone: 'violet' },
  no_answer: { tone: 'gray' },
  fallback: { tone: 'amber' },
};
const byWord: Readonly<Record<string, { tone: Tone; live?: boolean }>> = looks;

export function CallStatusBadge({ status }: { status: string }) {
  const look = byWord[status] ?? { tone: 'gray' as const };
  return (
    <Badge tone={look.tone} dot pulse={look.live ?? false}>
      {callStateLabel(status)}
    </Badge>
  );
}
