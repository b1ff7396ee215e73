import { ChevronDown, Filter, X } from 'lucide-react';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { Alert } from './alert.js';
import { Button, focusRing } from './button.js';

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

/**
 * A list's filters in a card: the fields, then "Clear filters" (when any is set) and "Apply filters".
 * On phones the card starts folded to one "Filters" button, so the list is on the first screen.
 */
export function FilterForm({ label, form, active, onClear, children }: FilterFormProps) {
  const [unfolded, setUnfolded] = useState(false);
  const bodyId = useId();
  const open = unfolded || form.alert !== null;
  return (
    <form noValidate onSubmit={form.onSubmit} onInput={form.onInput} aria-label={label} className="mb-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={bodyId}
        onClick={() => setUnfolded(!open)}
        className={`-m-1 flex w-[calc(100%+0.5rem)] items-center gap-2 rounded-md p-1 text-left text-sm font-semibold text-slate-700 sm:hidden ${focusRing}`}
      >
        <Filter className="size-4 text-slate-500" aria-hidden="true" />
        Filters
        {active && <span className="rounded-full bg-indigo-50 px-2 py-0.5 text-xs font-medium text-indigo-700">in force</span>}
        <ChevronDown className={`ml-auto size-4 text-slate-500 transition-transform ${open ? 'rotate-180' : ''}`} aria-hidden="true" />
      </button>
      <div id={bodyId} className={open ? 'mt-4 sm:mt-0' : 'hidden sm:block'}>
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
      </div>
    </form>
  );
}
