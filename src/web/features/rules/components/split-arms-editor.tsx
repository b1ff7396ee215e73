import { Plus, X } from 'lucide-react';
import { Button } from '../../../components/ui/button.js';
import { controlClass } from '../../../components/ui/field.js';
import { nextArm, percentTotal, type ArmDraft } from './split-draft.js';

interface Named {
  id: number;
  name: string;
}

interface SplitArmsEditorProps {
  arms: readonly ArmDraft[];
  onChange: (next: ArmDraft[]) => void;
  agents: readonly Named[];
  groups: readonly Named[];
  /** Messages of the split as a whole (e.g. the sum) and of arm i (`split.i`). */
  errorsFor: (path: string) => readonly string[] | undefined;
}

function Errors({ messages, id }: { messages: readonly string[] | undefined; id?: string }) {
  if (!messages?.length) return null;
  return (
    <ul id={id} className="mt-1 space-y-0.5 text-sm text-red-700">
      {messages.map((m) => (
        <li key={m}>{m}</li>
      ))}
    </ul>
  );
}

/**
 * The arms of a weighted split: a label, an agent or group, and a percent each; the total
 * is checked as the user types (it must be 100) so the mistake shows before saving.
 */
export function SplitArmsEditor({ arms, onChange, agents, groups, errorsFor }: SplitArmsEditorProps) {
  const firstTarget = groups[0] ? `group:${groups[0].id}` : agents[0] ? `agent:${agents[0].id}` : '';
  const setArm = (i: number, patch: Partial<ArmDraft>) => onChange(arms.map((a, j) => (j === i ? { ...a, ...patch } : a)));
  const total = percentTotal(arms);
  const added = nextArm(arms, firstTarget);

  return (
    <fieldset className="rounded-md border border-slate-200 p-3">
      <legend className="px-1 text-sm font-medium text-slate-700">Split traffic</legend>
      <p className="text-xs text-slate-600">Each call goes to one arm; over time every arm gets its percent of the calls exactly, on every instance. Analytics compare the arms by label.</p>
      {/* Every control is named "split": editing any arm clears the server's message about the whole split (forms clear messages by name). */}
      <ul className="mt-3 space-y-2">
        {arms.map((arm, i) => (
          <li key={i} className="rounded-md bg-slate-50 p-2" aria-label={`Arm ${i + 1}`}>
            {/* Phones: label, percent and remove on one line, the target below at full width. */}
            <div className="grid grid-cols-[minmax(0,1fr)_5.5rem_auto] items-end gap-2 sm:grid-cols-[5.5rem_minmax(0,1fr)_5.5rem_auto]">
              <label className="text-xs text-slate-600">
                Label
                <input name="split" aria-label={`Arm ${i + 1} label`} value={arm.label} maxLength={40} onChange={(e) => setArm(i, { label: e.target.value })} className={`mt-0.5 ${controlClass(false)}`} />
              </label>
              <label className="order-last col-span-3 min-w-0 text-xs text-slate-600 sm:order-none sm:col-span-1">
                Send to
                <select name="split" aria-label={`Arm ${i + 1} target`} value={arm.target} onChange={(e) => setArm(i, { target: e.target.value })} className={`mt-0.5 ${controlClass(false)}`}>
                  {groups.length > 0 && (
                    <optgroup label="Groups">
                      {groups.map((g) => (
                        <option key={g.id} value={`group:${g.id}`}>
                          {g.name}
                        </option>
                      ))}
                    </optgroup>
                  )}
                  {agents.length > 0 && (
                    <optgroup label="Agents">
                      {agents.map((a) => (
                        <option key={a.id} value={`agent:${a.id}`}>
                          {a.name}
                        </option>
                      ))}
                    </optgroup>
                  )}
                </select>
              </label>
              <label className="text-xs text-slate-600">
                Percent
                <input name="split" aria-label={`Arm ${i + 1} percent`} type="number" inputMode="decimal" min={0.1} max={100} step={0.1} value={arm.percent} onChange={(e) => setArm(i, { percent: e.target.value })} className={`mt-0.5 ${controlClass(false)}`} />
              </label>
              <Button variant="ghost" className="px-2" aria-label={`Remove arm ${i + 1}`} disabled={arms.length <= 2} onClick={() => onChange(arms.filter((_, j) => j !== i))} icon={<X className="size-4" aria-hidden="true" />} />
            </div>
            <Errors messages={errorsFor(`split.${i}`)} />
          </li>
        ))}
      </ul>
      <div className="mt-2 flex flex-wrap items-center justify-between gap-2">
        <Button variant="secondary" disabled={!added} onClick={() => added && onChange([...arms, added])} icon={<Plus className="size-4" aria-hidden="true" />}>
          Add arm
        </Button>
        <p role="status" className={`text-sm font-medium ${total === 100 ? 'text-emerald-700' : 'text-amber-700'}`}>
          {total === null ? 'Total: a percent is not a number' : total === 100 ? 'Total: 100%' : `Total: ${total}% (must be 100%)`}
        </p>
      </div>
      <Errors messages={errorsFor('split')} />
    </fieldset>
  );
}
