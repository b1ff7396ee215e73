import { ChevronLeft, ChevronRight } from 'lucide-react';
import { formatNumber } from '../../lib/format.js';
import type { PageMeta } from '../../lib/paged.js';
import { Button } from './button.js';

/** "Showing 21–40 of 1,234" with previous and next buttons. */
export function Pagination({ meta, onPage }: { meta: PageMeta; onPage: (page: number) => void }) {
  const first = meta.total === 0 ? 0 : (meta.current_page - 1) * meta.per_page + 1;
  const last = Math.min(meta.total, meta.current_page * meta.per_page);
  const total = `${formatNumber(meta.total)}${meta.total_capped ? '+' : ''}`;
  return (
    <nav aria-label="Pages" className="flex flex-wrap items-center justify-between gap-3 text-sm text-slate-600">
      <p>
        {meta.total === 0 ? 'No results' : `Showing ${formatNumber(first)}–${formatNumber(last)} of ${total}`}
      </p>
      {meta.last_page > 1 && (
      <div className="flex items-center gap-2">
        <span className="hidden sm:inline">
          Page {meta.current_page} of {Math.max(1, meta.last_page)}
        </span>
        <Button variant="secondary" disabled={meta.current_page <= 1} onClick={() => onPage(meta.current_page - 1)} icon={<ChevronLeft className="size-4" aria-hidden="true" />}>
          Previous
        </Button>
        <Button variant="secondary" disabled={meta.current_page >= meta.last_page} onClick={() => onPage(meta.current_page + 1)}>
          Next
          <ChevronRight className="size-4" aria-hidden="true" />
        </Button>
      </div>
      )}
    </nav>
  );
}
