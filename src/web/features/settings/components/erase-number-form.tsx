import { CircleCheck, Eraser } from 'lucide-react';
import { useRef, useState } from 'react';
import { eraseNumberBody } from '../../../../core/schemas/audit.js';
import { normalizeDigits } from '../../../../core/routing/phone-number.js';
import { Alert } from '../../../components/ui/alert.js';
import { Button } from '../../../components/ui/button.js';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.js';
import { TextField } from '../../../components/ui/text-field.js';
import { ApiError } from '../../../lib/api-client.js';
import { formatNumber, plural } from '../../../lib/format.js';
import { useSchemaForm } from '../../../lib/use-schema-form.js';
import { useEraseNumber, type Erasure } from '../api/erase-number.js';

const fields = ['number'] as const;

/** Only the last two digits, as the audit log keeps them: enough to tell erasures apart. */
function ending(number: string): string {
  return normalizeDigits(number).slice(-2);
}

function auditEntries(n: number): string {
  return `${formatNumber(n)} webhook audit ${n === 1 ? 'entry' : 'entries'}`;
}

/** What the erasure did, from the counts the server returned. */
function ErasureMessage({ number, erasure }: { number: string; erasure: Erasure }) {
  const total = erasure.call_records + erasure.cdrs + erasure.webhook_audit;
  return (
    <div role="status" className="flex gap-3 rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-900">
      <CircleCheck className="mt-0.5 size-4 shrink-0 text-emerald-600" aria-hidden="true" />
      {total === 0 ? (
        <p>
          Nothing held the number ending in {ending(number)}: no call record, CDR or webhook audit entry changed. The request is recorded in the audit log.
        </p>
      ) : (
        <p>
          Erased the number ending in {ending(number)} from {plural(erasure.call_records, 'call record')}, {plural(erasure.cdrs, 'CDR')} and{' '}
          {auditEntries(erasure.webhook_audit)}. It now reads <code className="rounded bg-emerald-100 px-1 font-mono text-xs">{erasure.replaced_with}</code>.
        </p>
      )}
    </div>
  );
}

/** A privacy request: replaces a caller's number in the tenant's call data, after a confirmation (admins only). */
export function EraseNumberForm() {
  const formRef = useRef<HTMLFormElement>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [done, setDone] = useState<{ number: string; erasure: Erasure } | null>(null);
  const erase = useEraseNumber();
  const form = useSchemaForm({
    schema: eraseNumberBody,
    fields,
    serverError: erase.error,
    resetServerError: erase.reset,
    onValid: ({ number }) => {
      setDone(null);
      setConfirming(number);
    },
  });
  // A 422 on the number belongs under the field; anything else stays in the dialog that sent it.
  const fieldError = erase.error instanceof ApiError && Object.keys(erase.error.fields).length > 0;
  const close = () => {
    setConfirming(null);
    erase.reset();
  };
  const confirm = () => {
    const number = confirming;
    if (number === null) return;
    erase.mutate(
      { number },
      {
        onSuccess: (erasure) => {
          setDone({ number, erasure });
          setConfirming(null);
          formRef.current?.reset();
        },
        onError: (err) => {
          if (err instanceof ApiError && Object.keys(err.fields).length > 0) setConfirming(null);
        },
      },
    );
  };

  return (
    <>
      <form ref={formRef} noValidate onSubmit={form.onSubmit} onInput={form.onInput} aria-label="Erase a caller’s data" className="space-y-4">
        <div className="space-y-2 text-sm text-slate-700">
          <p>
            The number is matched on its digits, whatever the formatting (<span className="whitespace-nowrap">+1 (415) 555-0123</span> and 14155550123 are the same number), and replaced
            with an anonymous token such as <code className="font-mono text-xs">erased:3f9a1c2b</code> in:
          </p>
          <ul className="list-disc space-y-1 pl-5">
            <li>call records from or to it, with their routing trace;</li>
            <li>CDRs: their from and to numbers and the CDR as received;</li>
            <li>the webhook audit: each request’s address and body.</li>
          </ul>
          <p>
            Rows are kept and one number always gets the same token, so counts, the dashboard and grouping stay right; the token cannot be turned back into the number. Inside longer
            text only a full number (7 digits or more) is replaced.
          </p>
          <p>
            Not changed: exports already made, agents, rules and earlier audit-log entries. The erasure itself is recorded in the audit log with all but the last two digits hidden.
          </p>
        </div>
        {form.alert && confirming === null && <Alert title="Could not erase the number">{form.alert}</Alert>}
        <TextField name="number" label="Caller’s number" inputMode="tel" autoComplete="off" placeholder="+1 415 555 0123" className="max-w-sm" errors={form.errorsFor('number')} />
        {done && <ErasureMessage number={done.number} erasure={done.erasure} />}
        <div className="flex justify-end border-t border-slate-200 pt-4">
          <Button type="submit" variant="danger" icon={<Eraser className="size-4" aria-hidden="true" />}>
            Erase this number
          </Button>
        </div>
      </form>
      <ConfirmDialog
        open={confirming !== null}
        title="Erase this caller’s number?"
        confirmLabel="Erase permanently"
        pending={erase.isPending}
        error={fieldError ? null : erase.error}
        onClose={close}
        onConfirm={confirm}
      >
        <p>
          <span className="font-mono font-semibold text-slate-900">{confirming}</span> will be replaced by an anonymous token in every call record, CDR and webhook audit entry of
          your organisation.
        </p>
        <p className="font-medium text-red-700">This cannot be undone: the number cannot be recovered afterwards.</p>
      </ConfirmDialog>
    </>
  );
}
