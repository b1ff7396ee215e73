import { LoaderCircle } from 'lucide-react';

/** Centred loading indicator for a whole page or panel. */
export function Spinner({ label = 'Loading…', fullPage = false }: { label?: string; fullPage?: boolean }) {
  return (
    <div role="status" className={`flex items-center justify-center gap-2 text-sm text-slate-500 ${fullPage ? 'min-h-screen' : 'py-16'}`}>
      <LoaderCircle className="size-5 animate-spin text-indigo-600" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}
