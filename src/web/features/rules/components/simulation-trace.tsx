import { CircleCheck, CircleSlash, PhoneForwarded, TriangleAlert } from 'lucide-react';
import type { ReactNode } from 'react';
import { Badge } from '../../../components/ui/badge.js';
import { humanize } from '../../../lib/format.js';
import type { Simulation } from '../api/simulate-routing.js';

const strategyLabels: Record<string, string> = { round_robin: 'round robin', priority: 'priority', load_balanced: 'load balanced', least_live: 'least live calls' };

/** The engine's decision for a test number, as steps: rule → target → candidates → choice or fallback. */
export function SimulationTrace({ result, targetName }: { result: Simulation; targetName: (type: 'agent' | 'group', id: number) => string }) {
  const skippedNames = new Map(result.candidates.map((c) => [c.agent_id, c.name]));
  return (
    <ol className="space-y-3 text-sm" aria-label="Routing decision">
      <Step ok={result.matched_rule !== null} title="Rule">
        {result.matched_rule ? (
          <>
            {result.matched_rule.kind === 'outbound' ? 'Outbound' : 'Inbound'} rule <span className="font-mono font-medium">{result.matched_rule.pattern}</span>
            {result.matched_rule.name && ` (${result.matched_rule.name})`} matched.
          </>
        ) : (
          'No enabled rule matches this number.'
        )}
      </Step>
      {result.target && (
        <Step ok title="Target">
          {result.target.type === 'group' ? 'Group' : 'Agent'} <strong className="font-semibold">{targetName(result.target.type, result.target.id)}</strong>
          {result.strategy && <> using {strategyLabels[result.strategy] ?? result.strategy}</>}.
        </Step>
      )}
      {result.outbound && (
        <Step ok title="Outbound">
          Dials <span className="font-mono">{result.outbound.number}</span> through trunks <span className="font-mono">{result.outbound.trunks}</span>
          {result.outbound.caller_id && (
            <>
              {' '}
              as <span className="font-mono">{result.outbound.caller_id}</span>
            </>
          )}
          .
        </Step>
      )}
      {result.direction === 'inbound' && (result.candidates.length > 0 || result.skipped.length > 0) && (
        <Step ok={result.candidates.length > 0} title="Candidates">
          {result.candidates.length > 0 ? (
            <ol className="mt-1 flex flex-wrap gap-2">
              {result.candidates.map((c, i) => (
                <li key={c.agent_id}>
                  <Badge tone={i === 0 ? 'green' : 'gray'}>
                    {i + 1}. {c.name}
                    {i === 0 ? ' — would answer' : ''}
                  </Badge>
                </li>
              ))}
            </ol>
          ) : (
            'Nobody is eligible right now.'
          )}
          {result.skipped.length > 0 && (
            <ul className="mt-2 space-y-0.5 text-xs text-slate-600">
              {result.skipped.map((s) => (
                <li key={s.agent_id}>
                  Skipped {skippedNames.get(s.agent_id) ?? targetName('agent', s.agent_id)}: {humanize(s.reason).toLowerCase()}
                </li>
              ))}
            </ul>
          )}
        </Step>
      )}
      {result.fallback && (
        <Step ok={false} title="Fallback">
          The tenant’s fallback route answers ({humanize(result.fallback.reason).toLowerCase()}). Set it under Settings.
        </Step>
      )}
    </ol>
  );
}

function Step({ ok, title, children }: { ok: boolean; title: string; children: ReactNode }) {
  const Icon = title === 'Fallback' ? TriangleAlert : ok ? (title === 'Outbound' ? PhoneForwarded : CircleCheck) : CircleSlash;
  const color = title === 'Fallback' ? 'text-amber-600' : ok ? 'text-emerald-600' : 'text-slate-400';
  return (
    <li className="flex gap-3">
      <Icon className={`mt-0.5 size-4 shrink-0 ${color}`} aria-hidden="true" />
      <div className="min-w-0">
        <p className="text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</p>
        <div className="text-slate-800">{children}</div>
      </div>
    </li>
  );
}
