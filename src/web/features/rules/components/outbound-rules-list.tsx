import { useState } from 'react';
import { Alert } from '../../../components/ui/alert.js';
import { SortableList } from '../../../components/ui/sortable-list.js';
import type { OutboundRule } from '../api/get-outbound-rules.js';
import { useReorderOutboundRules } from '../api/reorder-outbound-rules.js';
import { useUpdateOutboundRule } from '../api/update-outbound-rule.js';
import { RuleRow } from './rule-row.js';

interface OutboundRulesListProps {
  rules: readonly OutboundRule[];
  canWrite: boolean;
  onEdit: (rule: OutboundRule) => void;
  onDelete: (rule: OutboundRule) => void;
}

/** Outbound rules (agents calling out) in evaluation order: caller ID and destination → trunks. */
export function OutboundRulesList({ rules, canWrite, onEdit, onDelete }: OutboundRulesListProps) {
  const reorder = useReorderOutboundRules();
  const toggle = useUpdateOutboundRule();
  const [pending, setPending] = useState<OutboundRule[] | null>(null);

  return (
    <div>
      {reorder.error && (
        <div className="p-4">
          <Alert title="Could not reorder the rules">{reorder.error.message}</Alert>
        </div>
      )}
      <SortableList
        label="Outbound rules in evaluation order"
        items={pending ?? rules}
        getId={(r) => r.id}
        itemLabel={(r) => `rule ${r.name}`}
        disabled={!canWrite || reorder.isPending}
        onReorder={(next) => {
          setPending(next);
          reorder.mutate(
            next.map((r) => r.id),
            { onSettled: () => setPending(null) },
          );
        }}
        renderItem={(rule, handle, index) => (
          <RuleRow
            position={index + 1}
            handle={handle}
            label={`rule ${rule.name}`}
            priority={rule.priority}
            enabled={rule.enabled}
            canWrite={canWrite}
            onToggle={(enabled) => toggle.mutate({ id: rule.id, input: { enabled } })}
            onEdit={() => onEdit(rule)}
            onDelete={() => onDelete(rule)}
            match={
              <>
                <p className="text-sm font-medium text-slate-900">{rule.name}</p>
                <p className="text-xs text-slate-600">
                  from <span className="font-mono">{rule.caller_id}</span> to <span className="font-mono">{rule.destination_pattern}</span>
                </p>
              </>
            }
            action={
              <div className="text-sm text-slate-700">
                <p className="flex flex-wrap items-center gap-1.5">
                  <span className="text-slate-400" aria-hidden="true">
                    →
                  </span>
                  {rule.trunk_config.trunks.length === 1 ? 'trunk' : 'trunks'}
                  {rule.trunk_config.trunks.map((t) => (
                    <span key={String(t)} className="whitespace-nowrap rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800">
                      {t}
                    </span>
                  ))}
                </p>
                {rule.trunk_config.caller_id && (
                  <p className="text-xs text-slate-600">
                    shows caller ID <span className="font-mono">{rule.trunk_config.caller_id}</span>
                  </p>
                )}
              </div>
            }
          />
        )}
      />
    </div>
  );
}
