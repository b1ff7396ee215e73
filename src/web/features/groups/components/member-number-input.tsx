import { Check } from 'lucide-react';
import { useEffect, useId, useState } from 'react';
import { ApiError } from '../../../lib/api-client.js';
import { fieldMessage } from '../../../lib/form-errors.js';

interface MemberNumberInputProps {
  label: string;
  value: number;
  /** Saves the new value; a rejection's message is shown next to the field. */
  onCommit: (value: number) => Promise<unknown>;
  disabled?: boolean;
}

type Status = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'refused'; message: string };

const RANGE_MESSAGE = 'Must be a whole number from 1 to 1000.';

/** The server's words for a refusal: the field's own message when it names one. */
function refusal(error: unknown): string {
  if (error instanceof ApiError) {
    const first = Object.values(error.fields).flat()[0];
    return first ? fieldMessage('The value', first) : error.message;
  }
  return 'Not saved: the server could not be reached. Try again.';
}

/**
 * A 1–1000 number saved when the field is left or Enter is pressed. It says "Saved" once the
 * server took it, and why when it did not (the entry then goes back to the stored value).
 */
export function MemberNumberInput({ label, value, onCommit, disabled = false }: MemberNumberInputProps) {
  const [text, setText] = useState(String(value));
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const messageId = useId();
  useEffect(() => setText(String(value)), [value]);
  useEffect(() => {
    if (status.kind !== 'saved') return;
    const timer = setTimeout(() => setStatus({ kind: 'idle' }), 2500);
    return () => clearTimeout(timer);
  }, [status]);

  const commit = () => {
    const n = Number(text);
    if (text.trim() !== '' && n === value) return;
    if (!Number.isInteger(n) || n < 1 || n > 1000 || text.trim() === '') {
      setText(String(value));
      setStatus({ kind: 'refused', message: RANGE_MESSAGE });
      return;
    }
    setStatus({ kind: 'saving' });
    onCommit(n).then(
      () => setStatus({ kind: 'saved' }),
      (error: unknown) => {
        setText(String(value));
        setStatus({ kind: 'refused', message: refusal(error) });
      },
    );
  };
  return (
    <span className="inline-flex flex-col gap-1">
      <input
        type="number"
        min={1}
        max={1000}
        aria-label={label}
        aria-invalid={status.kind === 'refused' || undefined}
        aria-describedby={status.kind === 'idle' ? undefined : messageId}
        value={text}
        disabled={disabled || status.kind === 'saving'}
        onChange={(e) => {
          setText(e.target.value);
          if (status.kind === 'refused') setStatus({ kind: 'idle' });
        }}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            commit();
          }
        }}
        className={`w-20 rounded-md border bg-white px-2 py-1.5 text-sm tabular-nums text-slate-900 shadow-sm focus:outline-2 focus:-outline-offset-1 focus:outline-indigo-600 disabled:border-transparent disabled:bg-transparent disabled:shadow-none ${
          status.kind === 'refused' ? 'border-red-400' : 'border-slate-300'
        }`}
      />
      {status.kind === 'saved' && (
        <span id={messageId} role="status" className="inline-flex items-center gap-1 text-xs text-emerald-700">
          <Check className="size-3.5" aria-hidden="true" />
          Saved
        </span>
      )}
      {status.kind === 'refused' && (
        <span id={messageId} role="alert" className="max-w-40 text-xs text-red-700">
          {status.message}
        </span>
      )}
    </span>
  );
}
