import { ArrowDown, ArrowUp, ArrowUpDown } from 'lucide-react';
import type { ReactNode, ThHTMLAttributes, TdHTMLAttributes } from 'react';
import { focusRing } from './button.js';

/** A card-framed table that scrolls sideways on narrow screens instead of squeezing its columns. */
export function Table({ caption, children, footer }: { caption: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <div className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
      {/* relative: screen-reader-only text in cells is positioned inside the scroller, not past the page edge. */}
      <div className="relative overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <caption className="sr-only">{caption}</caption>
          {children}
        </table>
      </div>
      {footer && <div className="border-t border-slate-200 px-4 py-3">{footer}</div>}
    </div>
  );
}

export function Th({ className = '', children, ...rest }: ThHTMLAttributes<HTMLTableCellElement>) {
  return (
    <th scope="col" className={`whitespace-nowrap bg-slate-50 px-4 py-3 text-left text-xs font-semibold uppercase tracking-wide text-slate-600 ${className}`} {...rest}>
      {children}
    </th>
  );
}

export function Td({ className = '', children, ...rest }: TdHTMLAttributes<HTMLTableCellElement>) {
  return (
    <td className={`px-4 py-3 align-middle text-slate-700 ${className}`} {...rest}>
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
