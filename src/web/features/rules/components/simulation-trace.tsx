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
    <>
      <ol className="space-y-3 text-sm" aria-label="Routing decision">
        {result.schedule_skipped.length > 0 && (
          <Step ok={false} title="Schedule">
            <ul className="space-y-0.5">
              {result.schedule_skipped.map((s) => (
                <li key={s.rule_id}>
                  Rule {s.name ?? `#${s.rule_id}`} skipped: {s.reason === 'holiday' ? 'holiday' : 'outside hours'}
                </li>
              ))}
            </ul>
          </Step>
        )}
        <Step ok={result.matched_rule !== null} title="Rule">
          {result.matched_rule ? (
            <>
              {result.matched_rule.kind === 'outbound' ? 'Outbound' : 'Inbound'} rule <span className="font-mono font-medium">{result.matched_rule.pattern}</span>
              {result.matched_rule.name && ` (${result.matched_rule.name})`} matched.
            </>
          ) : (
            result.schedule_skipped.length > 0 ? 'No other enabled rule matches this number.' : 'No enabled rule matches this number.'
          )}
        </Step>
        {result.split && (
          <Step ok title="Split">
            The next call takes arm <strong className="font-semibold">{result.split.arm}</strong> (call {result.split.counter} of the split).
          </Step>
        )}
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
        {result.sticky && (
          <Step ok={result.sticky.used} title="Returning caller">
            {stickyText(result.sticky, skippedNames.get(result.sticky.agent_id) ?? targetName('agent', result.sticky.agent_id))}
          </Step>
        )}
        {result.fallback && (
          <Step ok={false} title="Fallback">
            The tenant’s fallback route answers ({humanize(result.fallback.reason).toLowerCase()}). Set it under Settings.
          </Step>
        )}
      </ol>
      {result.when && <p className="mt-3 text-xs text-slate-500">As at {momentLabel(result.when, result.time_zone)} ({result.time_zone}).</p>}
    </>
  );
}

/** The moment tried, on the tenant's clock. */
function momentLabel(iso: string, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat(undefined, { timeZone, weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
  } catch {
    return iso;
  }
}

const stickyWhyNot: Record<string, string> = {
  sticky_agent_full: 'is at its call limit',
  sticky_agent_unhealthy: 'is out of rotation after failures',
  sticky_agent_disabled: 'is disabled',
  sticky_agent_not_member: 'is no longer in this group',
};

/** Whether this caller goes back to the agent that last took their call, or why the strategy picks instead. */
function stickyText(sticky: NonNullable<Simulation['sticky']>, name: string): string {
  if (sticky.used) return `This number called before: it goes back to ${name}, who took its last call.`;
  return `${name} took this number's last call but ${stickyWhyNot[sticky.reason] ?? humanize(sticky.reason).toLowerCase()}, so the strategy picks.`;
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
