import type { ReactNode } from 'react';
import { Badge } from '../../../components/ui/badge.js';
import { CallStatusBadge } from '../../../components/ui/call-status-badge.js';
import { Dialog } from '../../../components/ui/dialog.js';
import { JsonBlock } from '../../../components/ui/json-block.js';
import { QueryStatus } from '../../../components/ui/query-status.js';
import { formatDateTime, formatDuration, humanize } from '../../../lib/format.js';
import { useCallRecord, type CallRecordWithTimeline } from '../api/get-call-record.js';
import { CallAgent } from './call-agent.js';
import { CallTimeline } from './call-timeline.js';
import { DecisionTrace } from './decision-trace.js';
import { OutcomeReasonText } from './outcome-reason-text.js';

interface CallRecordDrawerProps {
  id: number | undefined;
  onClose: () => void;
  agentName: (id: number) => string;
  targetName: (type: string, id: number) => string;
  /** Refetch every so often while the live socket is down (the socket's events refresh it otherwise). */
  poll?: number | false;
  /** Controls for the call shown (the live calls page: end a stale call). */
  actions?: (record: CallRecordWithTimeline) => ReactNode;
}

/** One call in full: summary, routing decision trace, event timeline and its CDRs. */
export function CallRecordDrawer({ id, onClose, agentName, targetName, poll = false, actions }: CallRecordDrawerProps) {
  const record = useCallRecord(id, poll);
  const r = record.data;
  return (
    <Dialog
      open={id !== undefined}
      onClose={onClose}
      variant="drawer"
      title={r ? `${r.from ?? 'Unknown'} → ${r.to ?? 'unknown'}` : 'Call details'}
      description={r && <span className="font-mono text-xs">{r.session_token}</span>}
    >
      {!r ? (
        <QueryStatus query={record} label="the call" />
      ) : (
        <div className="space-y-8">
          {actions && <div className="flex flex-wrap gap-2">{actions(r)}</div>}
          <dl className="grid grid-cols-2 gap-x-6 gap-y-3 text-sm sm:grid-cols-3">
            <Field label="Status">
              <CallStatusBadge status={r.status} />
            </Field>
            <Field label="Outcome" className="col-span-2">
              <OutcomeReasonText reason={r.outcome_reason} withHelp />
            </Field>
            <Field label="Agent">
              <CallAgent call={r} />
            </Field>
            <Field label="Group">{r.group_name ?? '—'}</Field>
            <Field label="Started">{formatDateTime(r.started_at)}</Field>
            <Field label="Answered">{formatDateTime(r.answered_at)}</Field>
            <Field label="Ended">{formatDateTime(r.ended_at)}</Field>
            <Field label="Duration">{formatDuration(r.duration_seconds)}</Field>
            <Field label="Billed">{formatDuration(r.billsec)}</Field>
            <Field label="Direction / attempts">
              {humanize(r.direction)} · {r.attempt}
              {r.is_test && (
                <span className="mt-1 block">
                  <Badge tone="violet">Test call</Badge>
                </span>
              )}
            </Field>
            <Field label="Cloudonix direction">
              {r.cloudonix_direction ? <span className="font-mono text-xs">{r.cloudonix_direction}</span> : <span className="text-slate-500">Not sent</span>}
            </Field>
          </dl>
          <Section title="Routing decision">
            <DecisionTrace
              trace={r.decision_trace}
              agentName={agentName}
              targetName={targetName}
              ended={r.ended_at !== null}
              answeredBy={r.answered_at !== null ? r.agent_id : null}
            />
          </Section>
          <Section title="Timeline">
            <CallTimeline events={r.events} agentName={agentName} />
          </Section>
          <Section title={`CDRs (${r.cdrs.length})`}>
            {r.cdrs.length === 0 ? (
              <p className="text-sm text-slate-600">Cloudonix has not sent a CDR for this call yet.</p>
            ) : (
              <ul className="space-y-3">
                {r.cdrs.map((c) => (
                  <li key={c.id} className="rounded-lg border border-slate-200 p-3 text-sm">
                    <p className="flex flex-wrap items-center gap-2">
                      <Badge tone={c.disposition_normalized === 'answered' ? 'green' : 'gray'}>{c.disposition ?? 'No disposition'}</Badge>
                      <span>duration {formatDuration(c.duration_seconds)}</span>
                      <span>billed {formatDuration(c.billsec)}</span>
                      <span className="text-xs text-slate-500">received {formatDateTime(c.received_at)}</span>
                    </p>
                    <details className="mt-2 text-xs">
                      <summary className="cursor-pointer text-slate-600 hover:text-slate-900">Raw CDR</summary>
                      <div className="mt-1">
                        <JsonBlock value={c.payload} label="Raw CDR" />
                      </div>
                    </details>
                  </li>
                ))}
              </ul>
            )}
          </Section>
        </div>
      )}
    </Dialog>
  );
}

function Field({ label, children, className = '' }: { label: string; children: ReactNode; className?: string }) {
  return (
    <div className={className}>
      <dt className="text-xs font-semibold uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-slate-900">{children}</dd>
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section>
      <h3 className="mb-3 border-b border-slate-200 pb-2 text-sm font-semibold text-slate-900">{title}</h3>
      {children}
    </section>
  );
}
