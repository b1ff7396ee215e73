import { Forward } from 'lucide-react';
import { useState } from 'react';
import type { HandOffBody } from '../../../../core/schemas/call-control.js';
import { Alert } from '../../../components/ui/alert.js';
import { Button } from '../../../components/ui/button.js';
import { Dialog } from '../../../components/ui/dialog.js';
import { NamedOptions, SelectField } from '../../../components/ui/select-field.js';
import { TextField } from '../../../components/ui/text-field.js';
import { ApiError } from '../../../lib/api-client.js';
import { useHandOffCall } from '../api/call-control.js';

interface Named {
  id: number;
  name: string;
}

interface HandOffButtonProps {
  id: number;
  /** The call as people know it, e.g. "+14155550123 → +12125550187". */
  label: string;
  agents: readonly Named[];
  groups: readonly Named[];
  onDone?: () => void;
}

type TargetType = HandOffBody['target_type'];

const targetWords: Readonly<Record<TargetType, string>> = { agent: 'An agent', group: 'A group (its strategy picks the agent)', number: 'A person’s number' };

/** The request for what the admin picked; null while something is missing. */
function bodyOf(type: TargetType, agentId: string, groupId: string, number: string): HandOffBody | null {
  if (type === 'number') return number.trim() === '' ? null : { target_type: 'number', number: number.trim() };
  const id = Number(type === 'agent' ? agentId : groupId);
  return id > 0 ? { target_type: type, target_id: id } : null;
}

/**
 * Hands a live call off: pick an agent, a group or type a number, then confirm. Cloudonix
 * switches the running call; the reasons it could not (the agent is full, the number is not
 * a phone number, Cloudonix is not connected) are shown in words.
 */
export function HandOffButton({ id, label, agents, groups, onDone }: HandOffButtonProps) {
  const [open, setOpen] = useState(false);
  const [type, setType] = useState<TargetType>('agent');
  const [agentId, setAgentId] = useState('');
  const [groupId, setGroupId] = useState('');
  const [number, setNumber] = useState('');
  const handOff = useHandOffCall();
  const body = bodyOf(type, agentId, groupId, number);
  const fieldErrors = handOff.error instanceof ApiError ? handOff.error.fields : {};
  const close = () => {
    setOpen(false);
    handOff.reset();
  };
  const submit = () => {
    if (!body) return;
    handOff.mutate(
      { id, body },
      {
        onSuccess: () => {
          close();
          onDone?.();
        },
      },
    );
  };
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)} icon={<Forward className="size-4" aria-hidden="true" />}>
        Hand off
      </Button>
      {open && (
        <Dialog
          open
          onClose={close}
          title={`Hand off the call ${label}`}
          footer={
            <>
              <Button variant="secondary" onClick={close}>
                Cancel
              </Button>
              <Button loading={handOff.isPending} disabled={!body} onClick={submit}>
                Hand off now
              </Button>
            </>
          }
        >
          <form
            className="space-y-4 text-sm text-slate-700"
            onSubmit={(e) => {
              e.preventDefault();
              submit();
            }}
          >
            {handOff.error && <Alert title="The call was not handed off">{handOff.error.message}</Alert>}
            <p>Cloudonix switches the running call to whoever you pick; the caller stays on the line. Whoever had it is freed for the next call.</p>
            <SelectField name="target_type" label="Hand the call to" value={type} onChange={(e) => setType(e.target.value as TargetType)}>
              {(Object.keys(targetWords) as TargetType[]).map((t) => (
                <option key={t} value={t}>
                  {targetWords[t]}
                </option>
              ))}
            </SelectField>
            {type === 'agent' && (
              <SelectField name="agent" label="Agent" value={agentId} onChange={(e) => setAgentId(e.target.value)} errors={fieldErrors['target_id']}>
                <option value="">Pick an agent</option>
                <NamedOptions items={agents} />
              </SelectField>
            )}
            {type === 'group' && (
              <SelectField name="group" label="Group" value={groupId} onChange={(e) => setGroupId(e.target.value)} errors={fieldErrors['target_id']}>
                <option value="">Pick a group</option>
                <NamedOptions items={groups} />
              </SelectField>
            )}
            {type === 'number' && (
              <TextField
                name="number"
                label="Number"
                type="tel"
                autoComplete="off"
                placeholder="+12125550187"
                help="A phone number with its country code; Cloudonix dials it from your domain."
                value={number}
                onChange={(e) => setNumber(e.target.value)}
                errors={fieldErrors['number']}
              />
            )}
          </form>
        </Dialog>
      )}
    </>
  );
}
