import { attemptOf, describeCxml, readCxml, type CxmlSummary } from './simulate-cxml.js';
import { formatMs, ok, send, webhookUrl, type Answer, type Target, type WireMethod } from './simulate-http.js';
import { cdr, dialCallback, sessionUpdate, timelineOf, voiceRequest, type CallIdentity, type Outcome, type SessionStage } from './simulate-payloads.js';

export interface FlowOptions {
  target: Target;
  call: CallIdentity;
  method: WireMethod;
  outcome: Outcome;
  durationSeconds: number;
  print: (line: string) => void;
}

/** How many failover answers the flow follows before it stops asking. */
const MAX_FOLLOW = 5;

class StepFailed extends Error {}

/**
 * Plays one whole call the way Cloudonix would: the voice-application request,
 * the Dial action callback(s) with the chosen outcome, the session updates and
 * the CDR. Returns false as soon as a request fails (printed), true otherwise.
 */
export async function runFlow(o: FlowOptions): Promise<boolean> {
  const { target, call, print } = o;
  const timeline = timelineOf(call, o.outcome, o.durationSeconds);

  function check(step: string, a: Answer): void {
    if (ok(a)) return;
    print(`${step} ${a.status} ${formatMs(a.ms)} ✗ ${a.body.slice(0, 500)}`);
    throw new StepFailed(step);
  }

  function cxmlOf(step: string, a: Answer): CxmlSummary {
    check(step, a);
    try {
      return readCxml(a.body);
    } catch (err) {
      print(`${step} ${a.status} ${formatMs(a.ms)} ✗ ${err instanceof Error ? err.message : String(err)}: ${a.body.slice(0, 300)}`);
      throw new StepFailed(step);
    }
  }

  function showCxml(step: string, a: Answer, s: CxmlSummary): void {
    const attempt = s.dial ? attemptOf(s.dial.action) : null;
    print(`${step} ${a.status} ${formatMs(a.ms)} → ${describeCxml(s)}${attempt ? ` (attempt ${attempt})` : ''}`);
    print(`  ${a.body.replace(/\s*\n\s*/g, '')}`);
  }

  /** The action URL as written in the CXML, but sent to the --url we simulate against. */
  function actionTarget(action: string): URL {
    const given = new URL(action, target.base);
    const local = new URL(`${given.pathname}${given.search}`, target.base);
    if (given.origin !== local.origin) print(`  (action URL ${given.origin} sent to ${local.origin} instead)`);
    return local;
  }

  try {
    const first = await send(webhookUrl(target, 'voice', false), voiceRequest(call), o.method, target.secret, target.domain);
    let answer = cxmlOf('voice-app', first);
    showCxml('voice-app', first, answer);

    let dialled = false;
    let connected = false;
    for (let follow = 1; answer.dial && follow <= MAX_FOLLOW; follow += 1) {
      dialled = true;
      if (!answer.dial.action) {
        print(`dial ${answer.dial.target}: no action URL, so no callback (Cloudonix would go on with the next verb)`);
        connected = o.outcome === 'completed';
        break;
      }
      const method: WireMethod = answer.dial.method === 'GET' ? 'get' : o.method === 'get' ? 'post-json' : o.method;
      const res = await send(actionTarget(answer.dial.action), dialCallback(call, o.outcome), method, target.secret, target.domain);
      const step = `callback ${o.outcome}`;
      answer = cxmlOf(step, res);
      showCxml(step, res, answer);
      if (o.outcome === 'completed') {
        connected = true;
        break;
      }
      if (answer.dial && follow === MAX_FOLLOW) print(`stopped after ${MAX_FOLLOW} callbacks; the service still dials`);
    }

    const stages: SessionStage[] = !dialled ? ['ended'] : connected ? ['ringing', 'connected', 'ended'] : ['ringing', 'ended'];
    const outcome: Outcome = dialled ? o.outcome : 'failed';
    for (const stage of stages) {
      const body = sessionUpdate(call, stage, outcome, timeline);
      const res = await send(webhookUrl(target, 'session', true), body, 'post-json', undefined, target.domain);
      const step = `session ${stage === 'ended' ? `${String(body.status)} (ended)` : stage}`;
      check(step, res);
      print(`${step} ${res.status} ${formatMs(res.ms)} ${res.body}`);
    }

    const record = cdr(call, outcome, timeline);
    const res = await send(webhookUrl(target, 'cdr', true), record, 'post-json', undefined, target.domain);
    check('cdr', res);
    print(`cdr ${String(record.disposition)} duration=${String(record.duration)}s billsec=${String(record.billsec)}s ${res.status} ${formatMs(res.ms)} ${res.body}`);
    return true;
  } catch (err) {
    if (err instanceof StepFailed) return false;
    throw err;
  }
}
