import { Check } from 'lucide-react';
import { useEffect, useState } from 'react';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.js';
import { Switch } from '../../../components/ui/switch.js';
import { plural } from '../../../lib/format.js';
import type { VoiceAgent } from '../api/get-agents.js';
import { useToggleAgent } from '../api/toggle-agent.js';

/**
 * The inline on/off switch of one agent. Turning off an agent that has live calls asks first,
 * naming how many; the row then says what happened ("Disabled") or why not (the API's message).
 */
export function AgentEnabledSwitch({ agent, liveCalls }: { agent: VoiceAgent; liveCalls: number }) {
  const toggle = useToggleAgent();
  const [asking, setAsking] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  useEffect(() => {
    if (!done) return;
    const timer = setTimeout(() => setDone(null), 2500);
    return () => clearTimeout(timer);
  }, [done]);

  const flip = () => {
    setAsking(false);
    setDone(null);
    toggle.mutate(agent.id, { onSuccess: (saved) => setDone(saved.enabled ? 'Enabled' : 'Disabled') });
  };

  return (
    <div className="flex flex-col items-start gap-1">
      <Switch
        checked={agent.enabled}
        label={`${agent.enabled ? 'Disable' : 'Enable'} ${agent.name}`}
        disabled={toggle.isPending}
        onChange={() => (agent.enabled && liveCalls > 0 ? setAsking(true) : flip())}
      />
      {done && (
        <span role="status" className="inline-flex items-center gap-1 text-xs text-emerald-700">
          <Check className="size-3.5" aria-hidden="true" />
          {done}
        </span>
      )}
      {toggle.error && (
        <span role="alert" className="max-w-48 text-xs text-red-700">
          Not changed: {toggle.error.message}
        </span>
      )}
      {asking && (
        <ConfirmDialog
          open
          title={`Disable ${agent.name}?`}
          confirmLabel="Disable agent"
          onClose={() => setAsking(false)}
          onConfirm={flip}
        >
          <p>
            {agent.name} has {plural(liveCalls, 'live call')} right now. They carry on until they end; new calls skip this agent and go to the next agent of
            its group, or to the fallback.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
