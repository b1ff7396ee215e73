import { CircleCheck, Circle } from 'lucide-react';
import { Card } from '../../../components/ui/card.js';
import { TextLink } from '../../../components/ui/text-link.js';

export interface SetupProgress {
  agents: number;
  groups: number;
  rules: number;
}

/** The four steps to a first routed call, ticked off as they are done. */
export function GettingStarted({ progress }: { progress: SetupProgress }) {
  const steps = [
    { done: progress.agents > 0, text: 'Add your voice agents', to: '/agents' },
    { done: progress.groups > 0, text: 'Pool them in a group and pick a strategy', to: '/groups' },
    { done: progress.rules > 0, text: 'Send your numbers to the group with an inbound rule', to: '/rules' },
    { done: false, text: 'Paste the webhook URLs into your Cloudonix domain', to: '/settings' },
  ];
  return (
    <Card>
      <h2 className="text-base font-semibold text-slate-900">Get started</h2>
      <p className="mt-1 text-sm text-slate-600">No calls yet. These steps get the first one routed.</p>
      <ol className="mt-4 space-y-2.5">
        {steps.map((s) => (
          <li key={s.to} className="flex items-center gap-2.5 text-sm">
            {s.done ? <CircleCheck className="size-5 text-emerald-600" role="img" aria-label="Done" /> : <Circle className="size-5 text-slate-300" role="img" aria-label="To do" />}
            <TextLink to={s.to} className={s.done ? 'text-slate-500 line-through decoration-slate-300' : ''}>
              {s.text}
            </TextLink>
          </li>
        ))}
      </ol>
    </Card>
  );
}
