import type { ReactNode } from 'react';
import { z } from 'zod';
import { Badge, type Tone } from '../../../components/ui/badge.js';
import { JsonBlock } from '../../../components/ui/json-block.js';
import { formatTime, humanize } from '../../../lib/format.js';

/** The parts of a stored decision trace the page explains; anything else stays in the raw view. */
const traceSchema = z.object({
  matched_rule: z.object({ kind: z.string(), name: z.string().nullable().optional(), pattern: z.string() }).nullable().optional(),
  target: z.object({ type: z.string(), id: z.number() }).nullable().optional(),
  strategy: z.string().nullable().optional(),
  candidates: z.array(z.number()).optional(),
  skipped: z.array(z.object({ agent_id: z.number(), reason: z.string() })).optional(),
  attempts: z.array(z.object({ attempt: z.number(), agent_id: z.number().nullable().optional(), at: z.string().optional(), outcome: z.string().nullable().optional() })).optional(),
  outbound: z.object({ number: z.string(), trunks: z.string(), caller_id: z.string().nullable().optional() }).nullable().optional(),
  fallback: z.object({ type: z.string(), reason: z.string().optional() }).nullable().optional(),
  sticky: z.object({ agent_id: z.number(), used: z.boolean(), reason: z.string() }).nullable().optional(),
});

const stickyWhyNot: Record<string, string> = {
  sticky_agent_full: 'was at its call limit',
  sticky_agent_unhealthy: 'was out of rotation after failures',
  sticky_agent_disabled: 'was disabled',
  sticky_agent_not_member: 'was no longer in the group',
};

const outcomeTone = (outcome: string | null | undefined): Tone => (outcome === 'answered' ? 'green' : outcome ? 'red' : 'gray');

interface DecisionTraceProps {
  trace: Record<string, unknown> | null;
  agentName: (id: number) => string;
  targetName: (type: string, id: number) => string;
  /** An attempt without a result on an ended call never got one (e.g. the call was handed off): not "Pending". */
  ended?: boolean;
  /**
   * The agent the call's story says answered (the record's agent once it has an answer time).
   * Cloudonix need not send the Dial callback: a session update or CDR alone tells that the
   * agent's last attempt was answered, so it must not read "No result".
   */
  answeredBy?: number | null;
}

type Attempt = { attempt: number; agent_id?: number | null | undefined; outcome?: string | null | undefined };

/** An attempt's badge: its Dial result, else what the call's story tells of it. */
function attemptResult(a: Attempt, attempts: readonly Attempt[], answeredBy: number | null): string | null {
  if (a.outcome) return a.outcome;
  const lastOfAnswerer = answeredBy !== null && attempts.filter((b) => b.agent_id === answeredBy).at(-1) === a;
  return lastOfAnswerer ? 'answered' : null;
}

/** Why the call went where it did: the rule, the strategy's candidate order, skips, attempts and fallback. */
export function DecisionTrace({ trace, agentName, targetName, ended = false, answeredBy = null }: DecisionTraceProps) {
  if (!trace) return <p className="text-sm text-slate-600">No routing decision was recorded for this call.</p>;
  const parsed = traceSchema.safeParse(trace);
  if (!parsed.success) return <JsonBlock value={trace} label="Decision trace" />;
  const t = parsed.data;
  return (
    <div className="space-y-4 text-sm">
      <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-2">
        <Item label="Rule">
          {t.matched_rule ? (
            <>
              <span className="font-mono">{t.matched_rule.pattern}</span>
              {t.matched_rule.name ? ` (${t.matched_rule.name})` : ''} <span className="text-slate-500">{t.matched_rule.kind}</span>
            </>
          ) : (
            'No rule matched'
          )}
        </Item>
        <Item label="Target">{t.target ? `${humanize(t.target.type)} ${targetName(t.target.type, t.target.id)}` : '—'}</Item>
        <Item label="Strategy">{t.strategy ? humanize(t.strategy) : '—'}</Item>
        <Item label="Fallback">{t.fallback ? `${humanize(t.fallback.type)}${t.fallback.reason ? ` (${humanize(t.fallback.reason).toLowerCase()})` : ''}` : 'Not used'}</Item>
      </dl>
      {t.candidates && t.candidates.length > 0 && (
        <div>
          <h4 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Candidate order</h4>
          <ol className="mt-1.5 flex flex-wrap gap-2">
            {t.candidates.map((id, i) => (
              <li key={id}>
                <Badge tone={i === 0 ? 'indigo' : 'gray'}>
                  {i + 1}. {agentName(id)}
                </Badge>
              </li>
            ))}
          </ol>
        </div>
      )}
      {t.sticky && (
        <p className="text-slate-700">
          Returning caller:{' '}
          {t.sticky.used
            ? `sent back to ${agentName(t.sticky.agent_id)}, who took their last call.`
            : `${agentName(t.sticky.agent_id)} took their last call but ${stickyWhyNot[t.sticky.reason] ?? humanize(t.sticky.reason).toLowerCase()}, so the strategy picked.`}
        </p>
      )}
      {t.skipped && t.skipped.length > 0 && (
        <ul className="space-y-0.5 text-slate-700">
          {t.skipped.map((s) => (
            <li key={s.agent_id}>
              Skipped {agentName(s.agent_id)}: {humanize(s.reason).toLowerCase()}
            </li>
          ))}
        </ul>
      )}
      {t.attempts && t.attempts.length > 0 && (
        <div>
          <h4 id="trace-attempts" className="text-xs font-semibold uppercase tracking-wide text-slate-500">
            Attempts
          </h4>
          <ol aria-labelledby="trace-attempts" className="mt-1.5 space-y-1.5">
            {t.attempts.map((a, _i, all) => {
              const result = attemptResult(a, all, answeredBy);
              return (
                <li key={a.attempt} className="flex flex-wrap items-center gap-2">
                  <span className="font-medium text-slate-900">#{a.attempt}</span>
                  <span>{a.agent_id ? agentName(a.agent_id) : 'fallback'}</span>
                  <Badge tone={outcomeTone(result)}>{result ? humanize(result) : ended ? 'No result' : 'Pending'}</Badge>
                  {a.at && <span className="text-xs text-slate-500">{formatTime(a.at)}</span>}
                </li>
              );
            })}
          </ol>
        </div>
      )}
      {t.outbound && (
        <p>
          Outbound to <span className="font-mono">{t.outbound.number}</span> through <span className="font-mono">{t.outbound.trunks}</span>
        </p>
      )}
      <details className="text-xs">
        <summary className="cursor-pointer font-medium text-slate-600 hover:text-slate-900">Raw trace</summary>
        <div className="mt-2">
          <JsonBlock value={trace} label="Raw decision trace" />
        </div>
      </details>
    </div>
  );
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-semibold uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-slate-900">{children}</dd>
    </div>
  );
}
