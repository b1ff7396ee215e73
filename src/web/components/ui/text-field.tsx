import { useId, type InputHTMLAttributes } from 'react';
import { fieldMessage } from '../../lib/form-errors.js';

export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'name'> {
  name: string;
  label: string;
  help?: string;
  errors?: readonly string[] | undefined;
}

/** A labelled input with optional help text and the field's error messages below it. */
export function TextField({ name, label, help, errors = [], className = '', ...rest }: TextFieldProps) {
  const id = useId();
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const invalid = errors.length > 0;
  // Help text makes way for the error messages, which usually repeat the rule it states.
  const describedBy = invalid ? errorId : help ? helpId : undefined;

  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <input
        id={id}
        name={name}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        className={`mt-1.5 block w-full rounded-md border bg-white px-3 py-2 text-sm text-slate-900 shadow-sm placeholder:text-slate-400 focus:outline-2 focus:-outline-offset-1 disabled:cursor-not-allowed disabled:bg-slate-50 disabled:text-slate-600 ${
          invalid ? 'border-red-400 focus:outline-red-500' : 'border-slate-300 focus:outline-indigo-600'
        }`}
        {...rest}
      />
      {help && !invalid && (
        <p id={helpId} className="mt-1.5 text-xs text-slate-600">
          {help}
        </p>
      )}
      {invalid && (
        <ul id={errorId} className="mt-1.5 space-y-0.5 text-sm text-red-700">
          {errors.map((message) => (
            <li key={message}>{fieldMessage(label, message)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
