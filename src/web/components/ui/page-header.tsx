import type { ReactNode } from 'react';

export function PageHeader({ title, description, badge }: { title: string; description?: ReactNode; badge?: ReactNode }) {
  return (
    <div className="mb-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
        {badge}
      </div>
      {description && <p className="mt-1 text-sm text-slate-600">{description}</p>}
    </div>
  );
}
