import { Badge } from '../../../components/ui/badge.js';
import { formatTime } from '../../../lib/format.js';
import type { VoiceAgent } from '../api/get-agents.js';

/** Healthy, or out of rotation until a time after repeated failures. */
export function HealthBadge({ agent }: { agent: Pick<VoiceAgent, 'health_status' | 'unhealthy_until'> }) {
  if (agent.health_status === 'healthy') return <Badge tone="green" dot>Healthy</Badge>;
  return (
    <span title={agent.unhealthy_until ? `Out of rotation until ${formatTime(agent.unhealthy_until)}` : undefined}>
      <Badge tone="red" dot>
        Unhealthy{agent.unhealthy_until ? ` until ${formatTime(agent.unhealthy_until)}` : ''}
      </Badge>
    </span>
  );
}

export function EnabledBadge({ enabled }: { enabled: boolean }) {
  return enabled ? <Badge tone="indigo">Enabled</Badge> : <Badge tone="gray">Disabled</Badge>;
}
