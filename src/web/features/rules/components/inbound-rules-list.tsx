import { Bot, Clock, Info, Users } from 'lucide-react';
import { useState } from 'react';
import { Alert } from '../../../components/ui/alert.js';
import { Badge } from '../../../components/ui/badge.js';
import { SortableList } from '../../../components/ui/sortable-list.js';
import type { InboundRule } from '../api/get-inbound-rules.js';
import { useReorderInboundRules } from '../api/reorder-inbound-rules.js';
import { useUpdateInboundRule } from '../api/update-inbound-rule.js';
import { patternKindLabels } from './pattern-help.js';
import { RuleRow } from './rule-row.js';
import { SplitTarget } from './split-target.js';
import { scheduleSummary } from './schedule-summary.js';

interface InboundRulesListProps {
  rules: readonly InboundRule[];
  canWrite: boolean;
  onEdit: (rule: InboundRule) => void;
  onDelete: (rule: InboundRule) => void;
}

const ruleLabel = (rule: InboundRule) => `rule ${rule.name ?? rule.pattern}`;

/** Inbound rules top to bottom as the engine tries them; drag to reorder rules of equal priority. */
export function InboundRulesList({ rules, canWrite, onEdit, onDelete }: InboundRulesListProps) {
  const reorder = useReorderInboundRules();
  const toggle = useUpdateInboundRule();
  const [pending, setPending] = useState<InboundRule[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const onReorder = (next: InboundRule[]) => {
    setPending(next);
    setNotice(null);
    reorder.mutate(
      next.map((r) => r.id),
      {
        onSuccess: (list) => {
          const wanted = next.map((r) => r.id).join(',');
          if (list.data.map((r) => r.id).join(',') !== wanted) {
            setNotice('Priority and pattern specificity come before the dragged order, so some rules stayed where the engine tries them. Change a rule’s priority to move it past rules with a lower number.');
          }
        },
        onSettled: () => setPending(null),
      },
    );
  };

  return (
    <div>
      {reorder.error && (
        <div className="p-4">
          <Alert title="Could not reorder the rules">{reorder.error.message}</Alert>
        </div>
      )}
      {notice && (
        <p role="status" className="flex gap-2 border-b border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
          <Info className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
          {notice}
        </p>
      )}
      <SortableList
        label="Inbound rules in evaluation order"
        items={pending ?? rules}
        getId={(r) => r.id}
        itemLabel={ruleLabel}
        disabled={!canWrite || reorder.isPending}
        onReorder={onReorder}
        renderItem={(rule, handle, index) => (
          <RuleRow
            position={index + 1}
            handle={handle}
            label={ruleLabel(rule)}
            priority={rule.priority}
            enabled={rule.enabled}
            canWrite={canWrite}
            onToggle={(enabled) => toggle.mutate({ id: rule.id, input: { enabled } })}
            onEdit={() => onEdit(rule)}
            onDelete={() => onDelete(rule)}
            match={
              <>
                <p className="flex flex-wrap items-center gap-2">
                  <span className="font-mono text-sm font-medium text-slate-900">{rule.pattern}</span>
                  {rule.pattern_kind ? <Badge tone="blue">{patternKindLabels[rule.pattern_kind]}</Badge> : <Badge tone="red">Invalid pattern</Badge>}
                </p>
                {rule.name && <p className="truncate text-xs text-slate-600">{rule.name}</p>}
                {rule.schedule && (
                  <p className="flex items-center gap-1 text-xs text-slate-600" title="Open only at these hours">
                    <Clock className="size-3.5 shrink-0 text-slate-400" aria-hidden="true" />
                    <span className="sr-only">Schedule:</span>
                    {scheduleSummary(rule.schedule)}
                  </p>
                )}
              </>
            }
            action={
              <p className="flex items-center gap-1.5 text-sm text-slate-700">
                <span className="text-slate-400" aria-hidden="true">
                  →
                </span>
                {rule.split ? (
                  <SplitTarget ruleId={rule.id} arms={rule.split} />
                ) : (
                  <>
                    {rule.target_type === 'group' ? <Users className="size-4 text-slate-400" aria-hidden="true" /> : <Bot className="size-4 text-slate-400" aria-hidden="true" />}
                    <span className="sr-only">{rule.target_type === 'group' ? 'Group' : 'Agent'}</span>
                    <span className="truncate font-medium">{rule.target_name ?? `#${rule.target_id} (missing)`}</span>
                  </>
                )}
              </p>
            }
          />
        )}
      />
    </div>
  );
}
