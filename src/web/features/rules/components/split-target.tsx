import { BarChart3, Split } from 'lucide-react';
import { useState } from 'react';
import { splitSummary, type SplitArmView } from '../../../../core/schemas/split.js';
import { Button } from '../../../components/ui/button.js';
import { Dialog } from '../../../components/ui/dialog.js';
import { SplitResultsPanel } from './split-results.js';

/**
 * A split rule's target in the rules list: "A 70% / B 30%" (each arm's agent or group in the
 * tooltip) and a button opening the arms' results side by side.
 */
export function SplitTarget({ ruleId, arms }: { ruleId: number; arms: readonly SplitArmView[] }) {
  const [open, setOpen] = useState(false);
  const detail = arms.map((a) => `${a.label} ${a.percent}% → ${a.target_name ?? `#${a.target.id} (missing)`}`).join('\n');
  return (
    <>
      <Split className="size-4 shrink-0 text-slate-400" aria-hidden="true" />
      <span className="sr-only">Split</span>
      <span className="truncate font-medium" title={detail}>
        {splitSummary(arms)}
      </span>
      <Button variant="ghost" className="px-2 py-1" onClick={() => setOpen(true)} aria-label={`Results of ${splitSummary(arms)}`} icon={<BarChart3 className="size-4" aria-hidden="true" />} />
      <Dialog open={open} onClose={() => setOpen(false)} title="Split results" description={splitSummary(arms)} wide>
        {open && <SplitResultsPanel ruleId={ruleId} />}
      </Dialog>
    </>
  );
}
