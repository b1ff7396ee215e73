import { humanize } from '../../../lib/format.js';

interface CallAgentProps {
  call: { agent_name: string | null; fallback_target: string | null; caller_agent_name: string | null };
}

/**
 * Who took the call: the agent; for an outbound call, the agent whose caller ID placed
 * it; for a call the fallback route took, what it did instead ("Fallback: message"),
 * never a bare "None".
 */
export function CallAgent({ call }: CallAgentProps) {
  if (call.agent_name) return <>{call.agent_name}</>;
  if (call.caller_agent_name) {
    return (
      <span title="An outbound call: this agent's number is the caller ID that placed it.">
        {call.caller_agent_name} <span className="text-xs text-slate-500">(caller)</span>
      </span>
    );
  }
  if (call.fallback_target) {
    return (
      <span className="text-slate-600" title="No agent took the call: the tenant's fallback route did (Settings).">
        — <span className="text-xs">Fallback: {humanize(call.fallback_target).toLowerCase()}</span>
      </span>
    );
  }
  return <span className="text-slate-500">—</span>;
}
