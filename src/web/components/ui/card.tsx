import type { ReactNode } from 'react';

/** A white panel; `flush` drops the padding for lists and tables that run to its edges. */
export function Card({ children, className = '', flush = false }: { children: ReactNode; className?: string; flush?: boolean }) {
  return <section className={`rounded-xl border border-slate-200 bg-white shadow-sm ${flush ? 'overflow-hidden' : 'p-6'} ${className}`}>{children}</section>;
}
