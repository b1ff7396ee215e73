import { Building } from 'lucide-react';
import type { Me } from '../api/get-me.js';

/** The signed-in tenant: its name and Cloudonix domain. */
export function TenantLabel({ tenant }: { tenant: Me['tenant'] }) {
  return (
    <div className="flex min-w-0 items-center gap-2 text-sm">
      <Building className="size-4 shrink-0 text-slate-400" aria-hidden="true" />
      <span className="truncate font-medium text-slate-900">{tenant.name}</span>
      <span className="truncate rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-600">{tenant.domain}</span>
    </div>
  );
}
