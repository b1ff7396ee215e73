import { CircleCheck, Circle } from 'lucide-react';
import { Card } from '../../../components/ui/card.js';
import { TextLink } from '../../../components/ui/text-link.js';

export interface SetupProgress {
  agents: number;
  groups: number;
  rules: number;
  /** Whether Cloudonix ever sent each webhook (the tenant's webhook_wiring.received_ever). */
  received: { voice_application: boolean; session_update: boolean; cdr: boolean };
}

function stepsOf(progress: SetupProgress) {
  return [
    { key: 'agents', done: progress.agents > 0, text: 'Add your voice agents', to: '/agents' },
    { key: 'groups', done: progress.groups > 0, text: 'Pool them in a group and pick a strategy', to: '/groups' },
    { key: 'rules', done: progress.rules > 0, text: 'Send your numbers to the group with an inbound rule', to: '/rules' },
    { key: 'voice', done: progress.received.voice_application, text: 'Paste the voice application URL into your Cloudonix domain (ticked when a first call arrives)', to: '/settings' },
    { key: 'session', done: progress.received.session_update, text: 'Paste the session update URL (ticked when Cloudonix first reports on a call)', to: '/settings' },
    { key: 'cdr', done: progress.received.cdr, text: 'Paste the CDR URL (ticked when a first call record arrives)', to: '/settings' },
  ];
}

/** Whether every step has really happened, so the checklist can go away then, and only then. */
export function setupComplete(progress: SetupProgress): boolean {
  return stepsOf(progress).every((s) => s.done);
}

/** The steps to a first routed and reported call, each ticked from what really happened; shown until all are done. */
export function GettingStarted({ progress }: { progress: SetupProgress }) {
  const steps = stepsOf(progress);
  const done = steps.filter((s) => s.done).length;
  return (
    <Card>
      <section aria-label="Get started">
        <h2 className="text-base font-semibold text-slate-900">Get started</h2>
        <p className="mt-1 text-sm text-slate-600">
          {done} of {steps.length} done. Each step is ticked when it has really happened, and this list stays until all are.
        </p>
        <ol className="mt-4 space-y-2.5">
          {steps.map((s) => (
            <li key={s.key} className="flex items-center gap-2.5 text-sm" data-step={s.key} data-done={s.done}>
              {s.done ? (
                <CircleCheck className="size-5 shrink-0 text-emerald-600" role="img" aria-label="Done" />
              ) : (
                <Circle className="size-5 shrink-0 text-slate-300" role="img" aria-label="To do" />
              )}
              <TextLink to={s.to} className={s.done ? 'text-slate-500 line-through decoration-slate-300' : ''}>
                {s.text}
              </TextLink>
            </li>
          ))}
        </ol>
      </section>
    </Card>
  );
}
