import { Check, ChevronsUpDown } from 'lucide-react';
import { useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { controlClass, FieldShell } from './field.js';

export interface SearchableOption {
  value: string;
  label: string;
  /** A heading the option is listed under (kept in first-seen order). */
  group?: string;
  /** Extra words the search matches (an id, an alias) that the label does not show. */
  keywords?: string;
}

export interface SearchableSelectProps {
  /** The form field name: a hidden input carries the chosen value. */
  name: string;
  label: string;
  options: readonly SearchableOption[];
  value: string;
  onChange: (value: string) => void;
  help?: ReactNode;
  errors?: readonly string[] | undefined;
  placeholder?: string;
  className?: string;
  /** Options sorted by label within each group (the default); false keeps the given order. */
  sort?: boolean;
}

const normalize = (text: string) => text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();

/**
 * A labelled combobox for long lists (providers, time zones): type to filter, arrows to move,
 * Enter to choose, Escape to put the chosen value back. Follows the ARIA 1.2 combobox pattern,
 * so screen readers announce the list and the active option.
 */
export function SearchableSelect({ name, label, options, value, onChange, help, errors, placeholder = 'Type to search', className = '', sort = true }: SearchableSelectProps) {
  const listId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const open = query !== null;
  const selected = options.find((o) => o.value === value);

  const ordered = useMemo(() => {
    if (!sort) return [...options];
    const groups = [...new Set(options.map((o) => o.group ?? ''))];
    return groups.flatMap((g) => options.filter((o) => (o.group ?? '') === g).sort((a, b) => a.label.localeCompare(b.label)));
  }, [options, sort]);

  const shown = useMemo(() => {
    if (!query) return ordered;
    const words = normalize(query).split(/\s+/).filter(Boolean);
    return ordered.filter((o) => {
      const haystack = normalize(`${o.label} ${o.value} ${o.keywords ?? ''}`);
      return words.every((w) => haystack.includes(w));
    });
  }, [ordered, query]);

  const start = () => {
    setQuery('');
    setActive(Math.max(0, ordered.findIndex((o) => o.value === value)));
  };
  const choose = (option: SearchableOption) => {
    onChange(option.value);
    setQuery(null);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!open) return start();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => Math.min(Math.max(i + step, 0), Math.max(shown.length - 1, 0)));
    } else if (event.key === 'Enter' && open) {
      // Enter picks the highlighted option instead of submitting the form.
      event.preventDefault();
      const option = shown[active];
      if (option) choose(option);
    } else if (event.key === 'Escape' && open) {
      // Only the list closes; a surrounding dialog stays.
      event.preventDefault();
      event.stopPropagation();
      setQuery(null);
    }
  };

  let lastGroup: string | undefined;
  return (
    <FieldShell label={label} help={help} errors={errors} className={className}>
      {({ id, describedBy, invalid }) => (
        <div className="relative">
          <input type="hidden" name={name} value={value} />
          <input
            ref={inputRef}
            id={id}
            role="combobox"
            aria-expanded={open}
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={open && shown[active] ? `${listId}-${active}` : undefined}
            aria-invalid={invalid || undefined}
            aria-describedby={describedBy}
            autoComplete="off"
            spellCheck={false}
            className={`${controlClass(invalid)} pr-9`}
            placeholder={open ? placeholder : undefined}
            value={query !== null ? query : (selected?.label ?? value)}
            onFocus={start}
            onClick={() => !open && start()}
            onBlur={() => setQuery(null)}
            onChange={(e) => {
              setQuery(e.target.value);
              setActive(0);
            }}
            onKeyDown={onKeyDown}
          />
          <ChevronsUpDown className="pointer-events-none absolute top-2.5 right-3 size-4 text-slate-400" aria-hidden="true" />
          {open && (
            <ul id={listId} role="listbox" aria-label={label} className="absolute z-20 mt-1 max-h-64 w-full overflow-y-auto rounded-md border border-slate-200 bg-white py-1 text-sm shadow-lg">
              {shown.length === 0 && <li className="px-3 py-2 text-slate-600">Nothing matches “{query}”.</li>}
              {shown.map((option, index) => {
                const heading = option.group !== undefined && option.group !== lastGroup ? option.group : null;
                lastGroup = option.group;
                return (
                  <li key={option.value} role="presentation">
                    {heading && <p className="px-3 pt-2 pb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">{heading}</p>}
                    <div
                      id={`${listId}-${index}`}
                      role="option"
                      aria-selected={option.value === value}
                      // mousedown, not click: the input's blur would close the list first.
                      onMouseDown={(e) => {
                        e.preventDefault();
                        choose(option);
                      }}
                      onMouseEnter={() => setActive(index)}
                      className={`flex cursor-pointer items-center justify-between gap-2 px-3 py-1.5 ${index === active ? 'bg-indigo-50 text-indigo-900' : 'text-slate-900'}`}
                    >
                      {option.label}
                      {option.value === value && <Check className="size-4 text-indigo-600" aria-hidden="true" />}
                    </div>
                  </li>
                );
              })}
            </ul>
          )}
        </div>
      )}
    </FieldShell>
  );
}
