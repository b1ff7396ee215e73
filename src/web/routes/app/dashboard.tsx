import { ArrowRight, BookOpen } from 'lucide-react';
import { focusRing } from '../../components/ui/button.js';
import { Card } from '../../components/ui/card.js';
import { PageHeader } from '../../components/ui/page-header.js';
import { useMe } from '../../features/auth/api/get-me.js';
import { RoleBadge, roleSummaries } from '../../features/auth/components/role-badge.js';

export function DashboardRoute() {
  const { data: me } = useMe();
  if (!me) return null;
  const firstName = me.name.trim().split(/\s+/)[0] ?? me.name;

  return (
    <>
      <PageHeader title="Dashboard" description={`Welcome, ${firstName}. Here is where your tenant stands.`} />
      <div className="grid gap-6 xl:grid-cols-3">
        <Card className="xl:col-span-2">
          <h2 className="text-base font-semibold text-slate-900">{me.tenant.name}</h2>
          <p className="mt-1 text-sm text-slate-600">This tenant routes the calls of one Cloudonix domain to your voice AI agents.</p>
          <dl className="mt-6 grid gap-4 lg:grid-cols-2">
            <div className="rounded-lg bg-slate-50 p-4">
              <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">Cloudonix domain</dt>
              <dd className="mt-1 font-mono [overflow-wrap:anywhere] text-sm text-slate-900">{me.tenant.domain}</dd>
            </div>
            <div className="rounded-lg bg-slate-50 p-4">
              <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">Your role</dt>
              <dd className="mt-1">
                <RoleBadge role={me.role} />
                <p className="mt-2 text-sm text-slate-600">{roleSummaries[me.role]}</p>
              </dd>
            </div>
          </dl>
        </Card>
        <Card className="flex flex-col">
          <span className="flex size-10 items-center justify-center rounded-lg bg-indigo-50 text-indigo-600">
            <BookOpen className="size-5" aria-hidden="true" />
          </span>
          <h2 className="mt-4 text-base font-semibold text-slate-900">API reference</h2>
          <p className="mt-1 flex-1 text-sm text-slate-600">
            Every endpoint of this service with its request and response schemas. Call them with a bearer token.
          </p>
          <a
            href="/docs"
            target="_blank"
            rel="noreferrer"
            className={`mt-4 inline-flex items-center gap-1.5 self-start rounded-sm text-sm font-semibold text-indigo-600 hover:text-indigo-500 ${focusRing}`}
          >
            Open the API reference
            <ArrowRight className="size-4" aria-hidden="true" />
          </a>
        </Card>
      </div>
    </>
  );
}
