import { ListOrdered, Plus } from 'lucide-react';
import { useState } from 'react';
import { z } from 'zod';
import { Button } from '../../components/ui/button.js';
import { Card } from '../../components/ui/card.js';
import { ConfirmDialog } from '../../components/ui/confirm-dialog.js';
import { EmptyState } from '../../components/ui/empty-state.js';
import { PageHeader } from '../../components/ui/page-header.js';
import { QueryStatus } from '../../components/ui/query-status.js';
import { ReadOnlyNote } from '../../components/ui/read-only-note.js';
import { TabLinks } from '../../components/ui/tab-links.js';
import { useAllAgents } from '../../features/agents/api/get-agents.js';
import { useCanWrite } from '../../features/auth/api/get-me.js';
import { useAllGroups } from '../../features/groups/api/get-groups.js';
import { useDeleteInboundRule } from '../../features/rules/api/delete-inbound-rule.js';
import { useDeleteOutboundRule } from '../../features/rules/api/delete-outbound-rule.js';
import { useInboundRules, type InboundRule } from '../../features/rules/api/get-inbound-rules.js';
import { useOutboundRules, type OutboundRule } from '../../features/rules/api/get-outbound-rules.js';
import { InboundRuleDialog } from '../../features/rules/components/inbound-rule-form.js';
import { InboundRulesList } from '../../features/rules/components/inbound-rules-list.js';
import { OutboundRuleDialog } from '../../features/rules/components/outbound-rule-form.js';
import { OutboundRulesList } from '../../features/rules/components/outbound-rules-list.js';
import { TestNumberBox } from '../../features/rules/components/test-number-box.js';
import { useTenant } from '../../features/settings/api/get-tenant.js';
import { useSearchState } from '../../lib/url-state.js';

const searchSchema = z.object({ tab: z.enum(['inbound', 'outbound']).catch('inbound') });

type Editing = { kind: 'inbound'; rule?: InboundRule } | { kind: 'outbound'; rule?: OutboundRule };
type Deleting = { kind: 'inbound'; rule: InboundRule } | { kind: 'outbound'; rule: OutboundRule };

const order =
  'Rules are tried top to bottom and the first enabled match wins: lower priority number first, then the more specific pattern (exact, then ? wildcards, then * prefixes), then the order you drag them into.';

export function RulesRoute() {
  const canWrite = useCanWrite();
  const [{ tab }] = useSearchState(searchSchema);
  const inbound = useInboundRules();
  const outbound = useOutboundRules();
  const agents = useAllAgents();
  const groups = useAllGroups();
  const timeZone = useTenant().data?.settings.timezone;
  const [editing, setEditing] = useState<Editing | null>(null);
  const [deleting, setDeleting] = useState<Deleting | null>(null);
  const close = () => setDeleting(null);
  const removeInbound = useDeleteInboundRule({ onSuccess: close });
  const removeOutbound = useDeleteOutboundRule({ onSuccess: close });
  const remove = deleting?.kind === 'outbound' ? removeOutbound : removeInbound;

  const agentOptions = agents.data?.data ?? [];
  const groupOptions = groups.data?.data ?? [];
  const targetName = (type: 'agent' | 'group', id: number) =>
    (type === 'agent' ? agentOptions : groupOptions).find((t) => t.id === id)?.name ?? `${type} #${id}`;
  const query = tab === 'inbound' ? inbound : outbound;
  const rules = query.data?.data;

  return (
    <>
      <PageHeader
        title="Rules"
        description="Inbound rules decide which agent or group answers each dialled number. Outbound rules send agents’ own calls out through your trunks."
        actions={
          canWrite && (
            <Button onClick={() => setEditing({ kind: tab })} icon={<Plus className="size-4" aria-hidden="true" />}>
              New {tab} rule
            </Button>
          )
        }
      />
      {!canWrite && <ReadOnlyNote what="rules" />}
      <TabLinks
        label="Rule kinds"
        tabs={[
          { label: `Inbound${inbound.data ? ` (${inbound.data.data.length})` : ''}`, to: '?tab=inbound', active: tab === 'inbound' },
          { label: `Outbound${outbound.data ? ` (${outbound.data.data.length})` : ''}`, to: '?tab=outbound', active: tab === 'outbound' },
        ]}
      />
      <div className="grid items-start gap-6 xl:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0">
          {!rules ? (
            <QueryStatus query={query} label="rules" />
          ) : rules.length === 0 ? (
            <EmptyState icon={ListOrdered} title={`No ${tab} rules yet`}>
              {tab === 'inbound'
                ? 'Without a rule every call goes to the fallback route. Add a rule such as * → your main group.'
                : 'Outbound rules are needed only when your agents place calls through this domain.'}
            </EmptyState>
          ) : (
            <Card flush>
              <p className="border-b border-slate-200 bg-slate-50 px-4 py-3 text-xs text-slate-600">{order}</p>
              {tab === 'inbound' ? (
                <InboundRulesList
                  rules={inbound.data?.data ?? []}
                  canWrite={canWrite}
                  onEdit={(rule) => setEditing({ kind: 'inbound', rule })}
                  onDelete={(rule) => setDeleting({ kind: 'inbound', rule })}
                />
              ) : (
                <OutboundRulesList
                  rules={outbound.data?.data ?? []}
                  canWrite={canWrite}
                  onEdit={(rule) => setEditing({ kind: 'outbound', rule })}
                  onDelete={(rule) => setDeleting({ kind: 'outbound', rule })}
                />
              )}
            </Card>
          )}
        </div>
        <TestNumberBox targetName={targetName} />
      </div>
      {editing?.kind === 'inbound' && <InboundRuleDialog rule={editing.rule} agents={agentOptions} groups={groupOptions} timeZone={timeZone} onClose={() => setEditing(null)} />}
      {editing?.kind === 'outbound' && <OutboundRuleDialog rule={editing.rule} onClose={() => setEditing(null)} />}
      <ConfirmDialog
        open={deleting !== null}
        title="Delete this rule?"
        confirmLabel="Delete rule"
        pending={remove.isPending}
        error={remove.error}
        onClose={close}
        onConfirm={() => {
          if (deleting?.kind === 'inbound') removeInbound.mutate(deleting.rule.id);
          else if (deleting?.kind === 'outbound') removeOutbound.mutate(deleting.rule.id);
        }}
      >
        <p>
          {deleting?.kind === 'inbound'
            ? `Calls to ${deleting.rule.pattern} will go to the next matching rule, or to the fallback route.`
            : 'Agents’ calls that matched it will look for the next matching outbound rule.'}
        </p>
      </ConfirmDialog>
    </>
  );
}
