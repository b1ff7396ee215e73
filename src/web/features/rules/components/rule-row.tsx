import { Pencil, Trash2 } from 'lucide-react';
import type { ReactNode } from 'react';
import { Badge } from '../../../components/ui/badge.js';
import { Button } from '../../../components/ui/button.js';
import { Switch } from '../../../components/ui/switch.js';

interface RuleRowProps {
  position: number;
  handle: ReactNode;
  /** What the rule matches, and what it does. */
  match: ReactNode;
  action: ReactNode;
  priority: number;
  enabled: boolean;
  label: string;
  canWrite: boolean;
  onToggle: (enabled: boolean) => void;
  onEdit: () => void;
  onDelete: () => void;
}

/** One rule in the evaluation-order list: drag handle, order number, match → action, priority, switch, actions. */
export function RuleRow({ position, handle, match, action, priority, enabled, label, canWrite, onToggle, onEdit, onDelete }: RuleRowProps) {
  return (
    // On phones the switch and buttons take a line of their own, so the target's name is not cut.
    <div className={`flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-3 sm:flex-nowrap ${enabled ? '' : 'bg-slate-50/70'}`}>
      <div className="flex shrink-0 items-center gap-1">
        {handle}
        <span className="flex size-6 items-center justify-center rounded-full bg-slate-100 text-xs font-semibold tabular-nums text-slate-700" title="Evaluation order">
          {position}
        </span>
      </div>
      {/* Match and action sit side by side, and stack when the row is narrow. */}
      <div className={`flex min-w-0 flex-1 flex-wrap items-center gap-x-6 gap-y-1 ${enabled ? '' : 'opacity-60'}`}>
        <div className="min-w-0 sm:w-48">{match}</div>
        <div className="min-w-0">{action}</div>
      </div>
      <div className="hidden shrink-0 sm:block">
        <Badge tone="gray">priority {priority}</Badge>
      </div>
      <div className="flex basis-full items-center justify-end gap-1 sm:shrink-0 sm:basis-auto">
        {canWrite ? (
          <>
            <Switch checked={enabled} onChange={onToggle} label={`${enabled ? 'Disable' : 'Enable'} ${label}`} />
            <Button variant="ghost" className="px-2" aria-label={`Edit ${label}`} onClick={onEdit} icon={<Pencil className="size-4" aria-hidden="true" />} />
            <Button variant="ghost" className="px-2 hover:text-red-700" aria-label={`Delete ${label}`} onClick={onDelete} icon={<Trash2 className="size-4" aria-hidden="true" />} />
          </>
        ) : enabled ? (
          <Badge tone="indigo">Enabled</Badge>
        ) : (
          <Badge>Disabled</Badge>
        )}
      </div>
    </div>
  );
}
