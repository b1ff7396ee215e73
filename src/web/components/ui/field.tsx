import { useId, type ReactNode } from 'react';
import { fieldMessage } from '../../lib/form-errors.js';

/** Classes of a text-like control (input, select, textarea), red while invalid. */
export function controlClass(invalid: boolean): string {
  return `block w-full rounded-md border bg-white px-3 py-2 text-sm text-slate-900 shadow-sm placeholder:text-slate-400 focus:outline-2 focus:-outline-offset-1 disabled:cursor-not-allowed disabled:bg-slate-50 disabled:text-slate-600 ${
    invalid ? 'border-red-400 focus:outline-red-500' : 'border-slate-300 focus:outline-indigo-600'
  }`;
}

interface FieldShellProps {
  label: string;
  help?: ReactNode;
  errors?: readonly string[] | undefined;
  className?: string;
  /** Renders the control with the ids it must carry. */
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}

/** Label above, help or error messages below: the frame of every form control but plain text inputs. */
export function FieldShell({ label, help, errors = [], className = '', children }: FieldShellProps) {
  const id = useId();
  const invalid = errors.length > 0;
  const describedBy = invalid ? `${id}-error` : help ? `${id}-help` : undefined;
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <div className="mt-1.5">{children({ id, describedBy, invalid })}</div>
      {help && !invalid && (
        <p id={`${id}-help`} className="mt-1.5 text-xs text-slate-600">
          {help}
        </p>
      )}
      {invalid && (
        <ul id={`${id}-error`} className="mt-1.5 space-y-0.5 text-sm text-red-700">
          {errors.map((message) => (
            <li key={message}>{fieldMessage(label, message)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
