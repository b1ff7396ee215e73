import { useQueryClient } from '@tanstack/react-query';
import { BellRing } from 'lucide-react';
import { useEffect } from 'react';
import { z } from 'zod';
import { alertKindLabels, alertKinds } from '../../../core/schemas/alert.js';
import { EmptyState } from '../../components/ui/empty-state.js';
import { PageHeader } from '../../components/ui/page-header.js';
import { Pagination } from '../../components/ui/pagination.js';
import { QueryStatus } from '../../components/ui/query-status.js';
import { SelectField } from '../../components/ui/select-field.js';
import { alertCountsQueryOptions } from '../../features/alerts/api/get-alert-counts.js';
import { useAlerts } from '../../features/alerts/api/get-alerts.js';
import { AlertsTable } from '../../features/alerts/components/alerts-table.js';
import { useCanWrite } from '../../features/auth/api/get-me.js';
import { useSearchState } from '../../lib/url-state.js';

const searchSchema = z.object({
  page: z.coerce.number().int().min(1).catch(1),
  state: z.enum(['firing', 'resolved']).optional().catch(undefined),
  kind: z.enum(alertKinds).optional().catch(undefined),
});

export function AlertsRoute() {
  const canWrite = useCanWrite();
  const [search, setSearch] = useSearchState(searchSchema);
  const alerts = useAlerts(search);
  const queryClient = useQueryClient();
  // The menu's badge follows what this page shows, not its own 30 s refresh.
  useEffect(() => {
    if (alerts.dataUpdatedAt > 0) void queryClient.invalidateQueries({ queryKey: alertCountsQueryOptions.queryKey });
  }, [alerts.dataUpdatedAt, queryClient]);
  return (
    <>
      <PageHeader title="Alerts" description="Open alerts first, then the history. An alert resolves by itself when what caused it ends; acknowledging says someone has seen it." />
      <div className="mb-4 grid gap-3 sm:grid-cols-2 lg:max-w-2xl">
        <SelectField name="state" label="State" value={search.state ?? ''} onChange={(e) => setSearch({ state: e.target.value || undefined, page: 1 })}>
          <option value="">Open and resolved</option>
          <option value="firing">Open (firing)</option>
          <option value="resolved">Resolved</option>
        </SelectField>
        <SelectField name="kind" label="Kind" value={search.kind ?? ''} onChange={(e) => setSearch({ kind: e.target.value || undefined, page: 1 })}>
          <option value="">Every kind</option>
          {alertKinds.map((k) => (
            <option key={k} value={k}>
              {alertKindLabels[k]}
            </option>
          ))}
        </SelectField>
      </div>
      {alerts.data ? (
        alerts.data.data.length === 0 ? (
          <EmptyState icon={BellRing} title="No alerts">
            Agents out of rotation or at their limit, many calls going to the fallback, missing session updates or CDRs, and refused webhooks show here. Set thresholds and where to send them in Settings.
          </EmptyState>
        ) : (
          <AlertsTable alerts={alerts.data.data} canWrite={canWrite} footer={alerts.data.meta.last_page > 1 && <Pagination meta={alerts.data.meta} onPage={(page) => setSearch({ page })} />} />
        )
      ) : (
        <QueryStatus query={alerts} label="alerts" />
      )}
    </>
  );
}
