import { outcomeReasonHelp, outcomeReasonLabels, type OutcomeReason } from '../../../../core/lifecycle/outcome-reason.js';

/** Green: answered; amber: not answered or sent to the fallback; red: something broke, worth a look. The label always says it too. */
const reasonColours: Readonly<Record<OutcomeReason, string>> = {
  answered: 'text-emerald-800',
  no_answer: 'text-amber-800',
  busy: 'text-amber-800',
  declined: 'text-amber-800',
  caller_hung_up: 'text-slate-700',
  agent_failed: 'text-red-700',
  overflow_fallback: 'text-amber-800',
  no_rule: 'text-amber-800',
  unknown_end: 'text-red-700',
  ended_by_admin: 'text-slate-700',
};

/**
 * Why a call ended, as its label; the help text is the tooltip. A live call has no
 * reason yet. With `withHelp` the help is written out under the label (the drawer).
 */
export function OutcomeReasonText({ reason, withHelp = false }: { reason: OutcomeReason | null; withHelp?: boolean }) {
  if (reason === null) {
    return (
      <span className="text-slate-500" title="The call has not ended yet.">
        Not ended yet
      </span>
    );
  }
  const label = outcomeReasonLabels[reason];
  const help = outcomeReasonHelp[reason];
  if (withHelp) {
    return (
      <>
        <span className={`font-medium ${reasonColours[reason]}`}>{label}</span>
        <span className="mt-0.5 block text-xs text-slate-600">{help}</span>
      </>
    );
  }
  return (
    <span className={`cursor-help font-medium underline decoration-dotted decoration-slate-400 underline-offset-2 ${reasonColours[reason]}`} title={help} data-outcome-reason={reason}>
      {label}
    </span>
  );
}
