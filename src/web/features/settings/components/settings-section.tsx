import type { ReactNode } from 'react';

/** A settings card: title and explanation on the left (wide screens), the form on the right. */
export function SettingsSection({ title, description, children }: { title: string; description: ReactNode; children: ReactNode }) {
  return (
    <section className="grid gap-4 border-b border-slate-200 py-8 first:pt-0 last:border-0 lg:grid-cols-[18rem_minmax(0,1fr)] lg:gap-8">
      <div>
        <h2 className="text-base font-semibold text-slate-900">{title}</h2>
        <div className="mt-1 text-sm text-slate-600">{description}</div>
      </div>
      <div className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">{children}</div>
    </section>
  );
}
