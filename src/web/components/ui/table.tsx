import { ArrowDown, ArrowUp, ArrowUpDown } from 'lucide-react';
import { useEffect, useRef, useState, type ReactNode, type RefObject, type ThHTMLAttributes, type TdHTMLAttributes } from 'react';
import { focusRing } from './button.js';

/** Whether the element's content is wider than the element (so it scrolls sideways); follows resizes. */
function useOverflowsX(ref: RefObject<HTMLElement | null>): boolean {
  const [overflows, setOverflows] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const check = () => setOverflows(el.scrollWidth > el.clientWidth + 1);
    check();
    const observer = new ResizeObserver(check);
    observer.observe(el);
    if (el.firstElementChild) observer.observe(el.firstElementChild);
    return () => observer.disconnect();
  }, [ref]);
  return overflows;
}

/**
 * A card-framed table that scrolls sideways inside its card on narrow screens instead of
 * squeezing its columns or widening the page. While it does, the first column (what opens a
 * row) stays put, the right edge fades to say there is more, and the scroller takes
 * keyboard focus so arrow keys can scroll it.
 */
export function Table({ caption, children, footer }: { caption: string; children: ReactNode; footer?: ReactNode }) {
  const scroller = useRef<HTMLDivElement>(null);
  const overflows = useOverflowsX(scroller);
  const sticky = overflows
    ? '[&_tr>:first-child]:sticky [&_tr>:first-child]:left-0 [&_tr>:first-child]:z-[1] [&_td:first-child]:bg-white [&_tr:hover>td:first-child]:bg-slate-50 [&_tr>:first-child]:shadow-[1px_0_0_var(--color-slate-200)]'
    : '';
  return (
    <div className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
      <div className="relative">
        {/* relative: screen-reader-only text in cells is positioned inside the scroller, not past the page edge. */}
        <div
          ref={scroller}
          className={`relative overflow-x-auto ${focusRing} focus-visible:outline-offset-[-2px]`}
          {...(overflows ? { tabIndex: 0, role: 'region', 'aria-label': `${caption} (scrolls sideways)` } : {})}
        >
          <table className={`min-w-full divide-y divide-slate-200 text-sm ${sticky}`}>
            <caption className="sr-only">{caption}</caption>
            {children}
          </table>
        </div>
        {overflows && <div className="pointer-events-none absolute inset-y-0 right-0 w-6 bg-gradient-to-l from-white to-transparent" aria-hidden="true" />}
      </div>
      {footer && <div className="border-t border-slate-200 px-4 py-3">{footer}</div>}
    </div>
  );
}

export function Th({ className = '', children, ...rest }: ThHTMLAttributes<HTMLTableCellElement>) {
  return (
    <th scope="col" className={`whitespace-nowrap bg-slate-50 px-3 py-3 text-left lg:px-4 text-xs font-semibold uppercase tracking-wide text-slate-600 ${className}`} {...rest}>
      {children}
    </th>
  );
}

export function Td({ className = '', children, ...rest }: TdHTMLAttributes<HTMLTableCellElement>) {
  return (
    <td className={`px-3 py-3 align-middle lg:px-4 text-slate-700 ${className}`} {...rest}>
      {children}
    </td>
  );
}

interface SortHeaderProps {
  label: string;
  /** The sort key of this column (`started_at`); the current sort is it or `-it`. */
  field: string;
  sort: string;
  onSort: (sort: string) => void;
  className?: string;
}

/** A column header that sorts by its column: descending first, then ascending. */
export function SortHeader({ label, field, sort, onSort, className = '' }: SortHeaderProps) {
  const active = sort === field || sort === `-${field}`;
  const descending = sort === `-${field}`;
  const Icon = !active ? ArrowUpDown : descending ? ArrowDown : ArrowUp;
  return (
    <Th className={className} aria-sort={active ? (descending ? 'descending' : 'ascending') : 'none'}>
      <button
        type="button"
        onClick={() => onSort(active && descending ? field : `-${field}`)}
        className={`-mx-1 inline-flex items-center gap-1 rounded px-1 uppercase hover:text-slate-900 ${focusRing}`}
      >
        {label}
        <Icon className={`size-3.5 ${active ? 'text-indigo-600' : 'text-slate-400'}`} aria-hidden="true" />
      </button>
    </Th>
  );
}
