import { Eye } from 'lucide-react';

/** Tells an analyst why a page has no buttons to change things. */
export function ReadOnlyNote({ what }: { what: string }) {
  return (
    <p className="mb-6 flex items-center gap-2 rounded-lg border border-slate-200 bg-slate-100 px-3 py-2 text-sm text-slate-700">
      <Eye className="size-4 shrink-0 text-slate-500" aria-hidden="true" />
      Read-only: only admins can change {what}.
    </p>
  );
}
