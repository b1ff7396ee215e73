import { CircleCheck, TriangleAlert } from 'lucide-react';
import { useEffect, useState } from 'react';
import { Alert } from '../../../components/ui/alert.js';
import { Button } from '../../../components/ui/button.js';
import { Dialog } from '../../../components/ui/dialog.js';
import { Spinner } from '../../../components/ui/spinner.js';
import { useApplySetup } from '../api/apply-setup.js';
import { useSetup } from '../api/get-setup.js';
import type { SetupCheck, SetupResult } from '../api/types.js';
import { SetupStepList } from './setup-step-list.js';
import { UnreachableUrlsChoice } from './unreachable-urls-choice.js';

interface SetupWizardProps {
  open: boolean;
  onClose: () => void;
  domain: string;
}

/**
 * "Set up domain": reads the domain afresh and shows what would change (current → desired, secrets
 * masked by the server), applies it once confirmed, then shows what was done and whether reading
 * the domain back found everything in place. Failures are shown in the server's words.
 */
export function SetupWizard({ open, onClose, domain }: SetupWizardProps) {
  const plan = useSetup(open);
  const apply = useApplySetup();
  const [allowUnreachable, setAllowUnreachable] = useState(false);
  const { refetch } = plan;
  const { reset } = apply;

  // Each opening plans from what Cloudonix has now, not from an earlier check (joining a read already under way).
  useEffect(() => {
    if (!open) return;
    reset();
    setAllowUnreachable(false);
    void refetch({ cancelRefetch: false });
  }, [open, refetch, reset]);

  const result = apply.data;
  // What Cloudonix has now: not a copy kept from before a read that failed or is under way.
  const planned = plan.error || plan.isFetching ? undefined : plan.data;
  const changes = planned?.steps.filter((s) => s.action !== 'none').length ?? 0;
  // Why Cloudonix could not reach our webhook URLs (PUBLIC_URL unset, loopback, plain http): setting them takes a tick.
  const urlProblem = planned?.urls_problem ?? null;
  const canApply = planned !== undefined && changes > 0 && !result && (!urlProblem || allowUnreachable);

  return (
    <Dialog
      open={open}
      onClose={onClose}
      wide
      title={`Set up ${domain}`}
      description="This service’s voice application, authorization key and webhook endpoints in your Cloudonix domain."
      footer={
        result || (planned && changes === 0) ? (
          <Button onClick={onClose}>Done</Button>
        ) : (
          <>
            <Button variant="secondary" onClick={onClose}>
              Cancel
            </Button>
            <Button disabled={!canApply} loading={apply.isPending} onClick={() => apply.mutate(allowUnreachable ? { allow_unreachable_urls: true } : {})}>
              {!planned ? 'Apply changes' : changes === 1 ? 'Apply 1 change' : `Apply ${changes} changes`}
            </Button>
          </>
        )
      }
    >
      <div className="space-y-4 text-sm text-slate-700">
        {result ? (
          <SetupOutcome result={result} />
        ) : plan.error && !plan.isFetching ? (
          <PlanFailed message={plan.error.message} onRetry={() => void refetch({ cancelRefetch: false })} />
        ) : !planned ? (
          <Spinner label="Reading the domain at Cloudonix…" />
        ) : (
          <>
            {apply.error && <Alert title="The setup did not complete">{apply.error.message}</Alert>}
            <PlannedChanges check={planned} changes={changes} />
            {changes > 0 && urlProblem && <UnreachableUrlsChoice problem={urlProblem} checked={allowUnreachable} onChange={setAllowUnreachable} />}
          </>
        )}
      </div>
    </Dialog>
  );
}

function PlanFailed({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <div className="space-y-3">
      <Alert title="Could not read the domain">{message}</Alert>
      <Button variant="secondary" onClick={onRetry}>
        Try again
      </Button>
    </div>
  );
}

function PlannedChanges({ check, changes }: { check: SetupCheck; changes: number }) {
  if (changes === 0) {
    return (
      <p role="status" className="flex items-start gap-2 rounded-md bg-emerald-50 p-3 text-emerald-900">
        <CircleCheck className="mt-0.5 size-4 shrink-0 text-emerald-600" aria-hidden="true" />
        Nothing to change: the domain already sends every call and webhook to this service.
      </p>
    );
  }
  return (
    <>
      <p>
        {changes === 1 ? 'One change' : `${changes} changes`} will be made at Cloudonix. Profile settings this service does not own are kept. Confirm to apply them.
      </p>
      <SetupStepList steps={check.steps} label="Planned changes" />
    </>
  );
}

function SetupOutcome({ result }: { result: SetupResult }) {
  const made = result.applied.filter((s) => s.action !== 'none');
  return (
    <>
      {result.verified ? (
        <p role="status" className="flex items-start gap-2 rounded-md bg-emerald-50 p-3 text-emerald-900">
          <CircleCheck className="mt-0.5 size-4 shrink-0 text-emerald-600" aria-hidden="true" />
          Verified: reading the domain back shows every item in place.
        </p>
      ) : (
        <div role="status" className="flex items-start gap-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950">
          <TriangleAlert className="mt-0.5 size-4 shrink-0 text-amber-600" aria-hidden="true" />
          <div className="min-w-0 space-y-1">
            <p className="font-medium">Not verified: reading the domain back still finds something missing.</p>
            <ul className="list-disc pl-5 [overflow-wrap:anywhere]">
              {(result.after.missing.length > 0 ? result.after.missing : result.after.steps.filter((s) => s.action !== 'none').map((s) => s.words)).map((sentence) => (
                <li key={sentence}>{sentence}</li>
              ))}
            </ul>
          </div>
        </div>
      )}
      <p>{made.length === 0 ? 'No change was needed.' : made.length === 1 ? 'One change was made at Cloudonix:' : `${made.length} changes were made at Cloudonix:`}</p>
      {made.length > 0 && <SetupStepList steps={made} label="Changes made" done />}
    </>
  );
}
