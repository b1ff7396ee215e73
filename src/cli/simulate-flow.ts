import { playCall, type PlayedStep } from './simulate-call.js';
import { attemptOf, describeCxml, legOf } from './simulate-cxml.js';
import { formatMs, httpSender, type Target, type WireMethod } from './simulate-http.js';
import type { CallScript } from './simulate-mix.js';
import type { CallIdentity, Outcome } from './simulate-payloads.js';

export interface FlowOptions {
  target: Target;
  call: CallIdentity;
  method: WireMethod;
  outcome: Outcome;
  durationSeconds: number;
  print: (line: string) => void;
}

/** How many legs the flow follows before it stops answering the service's dials. */
const MAX_LEGS = 5;

/**
 * The flow's script: every leg ends with `outcome`. An answered call lasts
 * `durationSeconds` in all, ringing included; an unanswered leg rings that long,
 * at most the Dial's timeout.
 */
export function flowScript(outcome: Outcome, durationSeconds: number): CallScript {
  if (outcome !== 'completed') return { legs: [{ outcome, ringSeconds: durationSeconds }], talkSeconds: 0 };
  const ringSeconds = Math.min(3, durationSeconds / 4);
  return { legs: [{ outcome, ringSeconds }], talkSeconds: durationSeconds - ringSeconds };
}

function printStep(step: PlayedStep, print: (line: string) => void): void {
  const a = step.answer;
  if (!a) {
    print(`${step.label} ✗ ${step.error ?? 'no answer'}`);
    return;
  }
  const head = `${step.label} ${a.status} ${formatMs(a.ms)}`;
  if (step.error !== null) {
    print(`${head} ✗ ${step.error}`);
    return;
  }
  if (step.cxml) {
    const leg = legOf(step.cxml);
    const attempt = leg ? attemptOf(leg.action) : null;
    print(`${head} → ${describeCxml(step.cxml)}${attempt ? ` (attempt ${attempt})` : ''}`);
    print(`  ${a.body.replace(/\s*\n\s*/g, '')}`);
    if (leg && !leg.action) print(`  ${leg.label}: no action URL, so no callback (Cloudonix goes on with the next verb)`);
    return;
  }
  if (step.request.kind === 'cdr') {
    const record = step.request.body;
    print(`cdr ${String(record.disposition)} duration=${String(record.duration)}s billsec=${String(record.billsec)}s ${a.status} ${formatMs(a.ms)} ${a.body}`);
    return;
  }
  print(`${head} ${a.body}`);
}

/**
 * Plays one whole call the way Cloudonix would (see playCall), every leg ending
 * with the chosen outcome, and prints each request and its answer. False when a
 * request failed or an answer was not CXML.
 */
export async function runFlow(o: FlowOptions): Promise<boolean> {
  const report = await playCall({
    call: o.call,
    script: flowScript(o.outcome, o.durationSeconds),
    send: httpSender(o.target, o.method, o.print),
    maxLegs: MAX_LEGS,
    onStep: (step) => printStep(step, o.print),
  });
  const unfollowed = report.answers.filter((a) => !a.followed && (a.kind === 'dial' || a.kind === 'connect'));
  if (report.legs.length >= MAX_LEGS && unfollowed.length > 0) o.print(`stopped after ${MAX_LEGS} legs; the service still dials`);
  else if (unfollowed.length > 0) o.print(`(the call was over, so its last answer, ${unfollowed[0]!.label}, was not followed)`);
  return report.steps.every((s) => s.error === null);
}
