import { ClipboardList } from 'lucide-react';
import { z } from 'zod';
import { EmptyState } from '../../components/ui/empty-state.js';
import { PageHeader } from '../../components/ui/page-header.js';
import { Pagination } from '../../components/ui/pagination.js';
import { QueryStatus } from '../../components/ui/query-status.js';
import { TabLinks } from '../../components/ui/tab-links.js';
import { Toolbar } from '../../components/ui/toolbar.js';
import { useAuditLog } from '../../features/audit/api/get-audit-log.js';
import { useWebhookAudit } from '../../features/audit/api/get-webhook-audit.js';
import { AuditLogFilters, WebhookAuditFilters } from '../../features/audit/components/audit-filters.js';
import { AuditLogTable } from '../../features/audit/components/audit-log-table.js';
import { WebhookAuditTable } from '../../features/audit/components/webhook-audit-table.js';
import { useSearchState } from '../../lib/url-state.js';

const text = z.string().max(200).catch('');
const searchSchema = z.object({
  tab: z.enum(['webhooks', 'changes']).catch('webhooks'),
  event_type: text,
  outcome: text,
  session_token: text,
  include_rejected: z.enum(['true', '']).catch(''),
  entity_type: text,
  start_date: text,
  end_date: text,
  page: z.coerce.number().int().min(1).catch(1),
});

const orUndefined = (v: string) => v || undefined;

export function AuditRoute() {
  const [search, setSearch] = useSearchState(searchSchema);
  const dates = { start_date: orUndefined(search.start_date), end_date: orUndefined(search.end_date), page: search.page, per_page: 25 };
  const webhooks = useWebhookAudit(
    {
      ...dates,
      event_type: orUndefined(search.event_type),
      outcome: orUndefined(search.outcome),
      session_token: orUndefined(search.session_token),
      include_rejected: orUndefined(search.include_rejected),
    },
    search.tab === 'webhooks',
  );
  const changes = useAuditLog({ ...dates, entity_type: orUndefined(search.entity_type) }, search.tab === 'changes');
  const query = search.tab === 'webhooks' ? webhooks : changes;

  return (
    <>
      <PageHeader title="Audit" description="What Cloudonix sent and what the service answered, and who changed the configuration. Secrets are masked." />
      <TabLinks
        label="Audit views"
        tabs={[
          { label: 'Webhooks received', to: '?tab=webhooks', active: search.tab === 'webhooks' },
          { label: 'Configuration changes', to: '?tab=changes', active: search.tab === 'changes' },
        ]}
      />
      <Toolbar>
        {search.tab === 'webhooks' ? <WebhookAuditFilters values={search} onChange={setSearch} /> : <AuditLogFilters values={search} onChange={setSearch} />}
      </Toolbar>
      {!query.data ? (
        <QueryStatus query={query} label={search.tab === 'webhooks' ? 'the webhook audit' : 'the audit log'} />
      ) : query.data.data.length === 0 ? (
        <EmptyState icon={ClipboardList} title="Nothing recorded here yet">
          {search.tab === 'webhooks'
            ? `Webhooks appear once Cloudonix calls this service.${search.include_rejected ? '' : ' Requests refused for a wrong secret are hidden: switch on Show refused requests to see them.'}`
            : 'Changes to agents, groups, rules, users and settings are listed here.'}
        </EmptyState>
      ) : search.tab === 'webhooks' && webhooks.data ? (
        <WebhookAuditTable entries={webhooks.data.data} footer={<Pagination meta={webhooks.data.meta} onPage={(page) => setSearch({ page })} />} />
      ) : changes.data ? (
        <AuditLogTable entries={changes.data.data} footer={<Pagination meta={changes.data.meta} onPage={(page) => setSearch({ page })} />} />
      ) : null}
    </>
  );
}
