import { Badge } from '../../../components/ui/badge.js';
import { formatTime } from '../../../lib/format.js';
import type { VoiceAgent } from '../api/get-agents.js';

/** Why an agent is out of rotation, in words ("answers and drops calls (7 of 9 under 5 s)"). */
export function outReasonText(agent: Pick<VoiceAgent, 'unhealthy_reason' | 'short_calls'>): string | null {
  if (agent.unhealthy_reason === 'short_calls') {
    const c = agent.short_calls;
    return c ? `Out: answers and drops calls (${c.short_calls} of ${c.answered_calls} under ${c.short_call_seconds} s)` : 'Out: answers and drops calls';
  }
  if (agent.unhealthy_reason === 'failures') return 'Out: failed calls in a row';
  return null;
}

/**
 * Healthy; never tried (no call sent to it yet, so nothing shows it answers); out of rotation
 * until a time after repeated failures or a surge of short calls (the reason below the badge);
 * or unknown while live health cannot be read.
 */
export function HealthBadge({ agent }: { agent: Pick<VoiceAgent, 'health_status' | 'unhealthy_until' | 'unhealthy_reason' | 'short_calls'> }) {
  if (agent.health_status === 'healthy') return <Badge tone="green" dot>Healthy</Badge>;
  if (agent.health_status === 'never_tried') {
    return (
      <span title="No call has been sent to this agent yet, so nothing shows that it answers. It takes calls like any other.">
        <Badge tone="gray" dot>
          Never tried
        </Badge>
      </span>
    );
  }
  if (agent.health_status === 'unknown') {
    return (
      <span title="Live health is kept in Redis, which this server cannot reach right now; calls are still routed">
        <Badge tone="gray" dot>
          Unknown
        </Badge>
      </span>
    );
  }
  // The reason and the time go on their own lines, so the badge stays as narrow as the others.
  const reason = outReasonText(agent);
  return (
    <span className="inline-flex flex-col items-start gap-0.5" title={agent.unhealthy_until ? `Out of rotation until ${formatTime(agent.unhealthy_until)}` : undefined}>
      <Badge tone="red" dot>
        Unhealthy
      </Badge>
      {reason && <span className="text-xs text-slate-700">{reason}</span>}
      {agent.unhealthy_until && <span className="text-xs whitespace-nowrap text-slate-600">until {formatTime(agent.unhealthy_until)}</span>}
    </span>
  );
}

export function EnabledBadge({ enabled }: { enabled: boolean }) {
  return enabled ? <Badge tone="indigo">Enabled</Badge> : <Badge tone="gray">Disabled</Badge>;
}
