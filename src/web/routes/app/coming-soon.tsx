import { Construction } from 'lucide-react';
import type { NavItem } from '../../components/layouts/nav-items.js';
import { PageHeader } from '../../components/ui/page-header.js';
import { TextLink } from '../../components/ui/text-link.js';

/** Placeholder for a section that a later release fills in. */
export function ComingSoonRoute({ item }: { item: NavItem }) {
  const Icon = item.icon;
  return (
    <>
      <PageHeader title={item.label} />
      <div className="flex flex-col items-center rounded-xl border border-dashed border-slate-300 bg-white px-6 py-16 text-center">
        <span className="flex size-12 items-center justify-center rounded-full bg-indigo-50 text-indigo-600">
          <Icon className="size-6" aria-hidden="true" />
        </span>
        <h2 className="mt-4 flex items-center gap-2 text-base font-semibold text-slate-900">
          <Construction className="size-4 text-amber-500" aria-hidden="true" />
          Coming soon
        </h2>
        <p className="mt-2 max-w-md text-sm text-slate-600">{item.description}</p>
        <p className="mt-6 text-sm">
          <TextLink to="/">Back to the dashboard</TextLink>
        </p>
      </div>
    </>
  );
}
