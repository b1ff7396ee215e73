import { ArrowRight, CircleCheck, CirclePlus, PencilLine } from 'lucide-react';
import type { SetupStep } from '../api/types.js';
import { Badge } from '../../../components/ui/badge.js';
import { setupItemLabel } from '../setup-items.js';

const actions = {
  create: { tone: 'blue', Icon: CirclePlus },
  update: { tone: 'amber', Icon: PencilLine },
  none: { tone: 'green', Icon: CircleCheck },
} as const;

/** The badge: what setup does to the item (`done`: did). Only the application is created; settings are set. */
function actionLabel(step: SetupStep, done: boolean): string {
  if (step.action === 'none') return 'Already right';
  if (step.action === 'update') return done ? 'Changed' : 'Change';
  if (step.item === 'voice_application') return done ? 'Created' : 'Create';
  return 'Set';
}

/** A value as the server shows it (URLs with the secret masked, the key as set / not set); nothing is "not set". */
function Value({ value }: { value: string | null }) {
  if (value === null || value === '') return <span className="italic text-slate-500">not set</span>;
  return <code className="break-all font-mono text-xs text-slate-800">{value}</code>;
}

/**
 * The changes of a domain setup, each item with what Cloudonix has now and what it will have
 * (`done`: the changes were made, so the words are in the past).
 */
export function SetupStepList({ steps, label, done = false }: { steps: readonly SetupStep[]; label: string; done?: boolean }) {
  return (
    <ul aria-label={label} className="divide-y divide-slate-200 rounded-md border border-slate-200">
      {steps.map((step) => {
        const action = actions[step.action];
        return (
          <li key={step.item} data-setup-item={step.item} className="space-y-1.5 p-3 text-sm">
            <div className="flex flex-wrap items-center gap-2">
              <action.Icon className={`size-4 shrink-0 ${step.action === 'none' ? 'text-emerald-600' : 'text-slate-500'}`} aria-hidden="true" />
              <span className="font-medium text-slate-900">{setupItemLabel(step.item)}</span>
              <Badge tone={action.tone}>{actionLabel(step, done)}</Badge>
            </div>
            <p className="text-slate-700 [overflow-wrap:anywhere]">{step.words}</p>
            {step.action !== 'none' && (
              <div className="grid gap-1 rounded bg-slate-50 p-2 text-xs sm:grid-cols-[auto_minmax(0,1fr)] sm:gap-x-2">
                <span className="text-slate-600">{done ? 'Was' : 'Now'}</span>
                <Value value={step.current} />
                <span className="flex items-center gap-1 text-slate-600">
                  <ArrowRight className="size-3" aria-hidden="true" />
                  {done ? 'Set to' : 'Will be'}
                </span>
                <Value value={step.desired} />
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
}
