import { Filter, X } from 'lucide-react';
import type { FormEvent, ReactNode } from 'react';
import { Alert } from './alert.js';
import { Button } from './button.js';

interface FilterFormProps {
  /** The form's accessible name; it ends in "filters" (the browser suite relies on that). */
  label: string;
  form: {
    onSubmit: (event: FormEvent<HTMLFormElement>) => void;
    onInput: (event: FormEvent<HTMLFormElement>) => void;
    alert: string | null;
  };
  /** Some filter is in force: offers "Clear filters". */
  active: boolean;
  onClear: () => void;
  children: ReactNode;
}

/** A list's filters in a card: the fields, then "Clear filters" (when any is set) and "Apply filters". */
export function FilterForm({ label, form, active, onClear, children }: FilterFormProps) {
  return (
    <form noValidate onSubmit={form.onSubmit} onInput={form.onInput} aria-label={label} className="mb-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      {form.alert && <Alert title="Check the filters">{form.alert}</Alert>}
      {children}
      <div className="mt-4 flex flex-wrap justify-end gap-2">
        {active && (
          <Button variant="ghost" onClick={onClear} icon={<X className="size-4" aria-hidden="true" />}>
            Clear filters
          </Button>
        )}
        <Button type="submit" icon={<Filter className="size-4" aria-hidden="true" />}>
          Apply filters
        </Button>
      </div>
    </form>
  );
}
