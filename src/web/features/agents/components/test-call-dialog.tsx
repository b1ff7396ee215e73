import { CircleCheck, CircleX, LoaderCircle, Phone } from 'lucide-react';
import { useState } from 'react';
import { testCallBody, type TestCallResult } from '../../../../core/schemas/test-call.js';
import { Alert } from '../../../components/ui/alert.js';
import { Button } from '../../../components/ui/button.js';
import { Dialog } from '../../../components/ui/dialog.js';
import { FormDialog } from '../../../components/ui/form-dialog.js';
import { TextField } from '../../../components/ui/text-field.js';
import { TextLink } from '../../../components/ui/text-link.js';
import { useSchemaForm } from '../../../lib/use-schema-form.js';
import { useTestCallRecord } from '../api/get-test-call-record.js';
import type { VoiceAgent } from '../api/get-agents.js';
import { usePlaceTestCall } from '../api/place-test-call.js';
import { testCallOutcome } from '../test-call-outcome.js';

const fields = ['destination', 'caller_id'] as const;
/** The number last rung, so the next test call is one click (this browser only). */
const DESTINATION_KEY = 'vlb.test-call.destination';

function rememberedDestination(): string {
  try {
    return window.localStorage.getItem(DESTINATION_KEY) ?? '';
  } catch {
    return '';
  }
}

function remember(destination: string): void {
  try {
    window.localStorage.setItem(DESTINATION_KEY, destination);
  } catch {
    // Private browsing may refuse storage: the test call still goes ahead.
  }
}

/** The form's values as the API takes them: an empty caller ID means Cloudonix's default. */
function read(form: HTMLFormElement): unknown {
  const data = new FormData(form);
  const callerId = String(data.get('caller_id') ?? '').trim();
  return { destination: String(data.get('destination') ?? ''), ...(callerId ? { caller_id: callerId } : {}) };
}

/**
 * "Test call": Cloudonix rings the admin's phone, then dials the agent. The dialog asks for
 * the number (remembered in this browser), places the call, and follows its record until
 * it ends, saying what happened: answered and for how long, or which leg did not answer.
 */
export function TestCallDialog({ agent, onClose }: { agent: VoiceAgent; onClose: () => void }) {
  const [placed, setPlaced] = useState<TestCallResult | null>(null);
  const place = usePlaceTestCall(agent.id);
  const form = useSchemaForm({
    schema: testCallBody,
    fields,
    read,
    serverError: place.error,
    resetServerError: place.reset,
    onValid: (body) =>
      place.mutate(body, {
        onSuccess: (result) => {
          remember(body.destination);
          setPlaced(result);
        },
      }),
  });

  if (placed) return <FollowTestCall agent={agent} placed={placed} onClose={onClose} />;
  return (
    <FormDialog
      title={`Test call to ${agent.name}`}
      description="Cloudonix rings your phone; when you answer, it dials this agent as a routed call would. The call is recorded and marked as a test, which analytics leave out."
      onClose={onClose}
      form={form}
      alertTitle="Could not place the test call"
      submitLabel="Call me"
      pending={place.isPending}
    >
      <TextField
        name="destination"
        label="Your phone number"
        inputMode="tel"
        autoComplete="tel"
        placeholder="+1 415 555 0123"
        defaultValue={rememberedDestination()}
        help="In international form. Remembered in this browser for the next test."
        errors={form.errorsFor('destination')}
        data-autofocus
      />
      <TextField name="caller_id" label="Caller ID (optional)" inputMode="tel" autoComplete="off" placeholder="Your domain’s default" errors={form.errorsFor('caller_id')} />
    </FormDialog>
  );
}

/** The placed call, followed until it ends. */
function FollowTestCall({ agent, placed, onClose }: { agent: VoiceAgent; placed: TestCallResult; onClose: () => void }) {
  const record = useTestCallRecord(placed.call_record_id);
  const outcome = record.data ? testCallOutcome(record.data, agent.name) : null;
  return (
    <Dialog open onClose={onClose} title={`Test call to ${agent.name}`} description={`Your phone: ${placed.destination}. Cloudonix rings it first, then the agent.`} footer={<Button onClick={onClose}>{outcome?.done ? 'Done' : 'Close'}</Button>}>
      <div role="status" aria-live="polite" className="space-y-4">
        {outcome ? (
          <div className="flex gap-3">
            {outcome.tone === 'progress' ? (
              <LoaderCircle className="mt-0.5 size-5 shrink-0 animate-spin text-indigo-600" aria-hidden="true" />
            ) : outcome.tone === 'success' ? (
              <CircleCheck className="mt-0.5 size-5 shrink-0 text-emerald-600" aria-hidden="true" />
            ) : (
              <CircleX className="mt-0.5 size-5 shrink-0 text-red-600" aria-hidden="true" />
            )}
            <div>
              <p className="font-semibold text-slate-900">{outcome.title}</p>
              {outcome.detail && <p className="mt-1 text-sm text-slate-700">{outcome.detail}</p>}
            </div>
          </div>
        ) : record.error ? (
          <Alert title="Could not read the call’s record">The call was placed; see Call records for what happened.</Alert>
        ) : (
          <p className="flex items-center gap-2 text-sm text-slate-700">
            <Phone className="size-4" aria-hidden="true" /> Placing the call…
          </p>
        )}
        {placed.call_record_id !== null && (
          <p className="text-sm">
            <TextLink to={`/call-records?id=${placed.call_record_id}`}>Open the call record</TextLink>
          </p>
        )}
      </div>
    </Dialog>
  );
}
