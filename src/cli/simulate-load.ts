import { performance } from 'node:perf_hooks';
import { playCall, type CallReport } from './simulate-call.js';
import { httpSender, type SendWebhook, type Target, type WebhookRequest, type WireMethod } from './simulate-http.js';
import { callRandom, planScenarios, SCENARIOS, scriptFor, type CallScript, type Mix, type Scenario } from './simulate-mix.js';
import { DISPOSITION, newCall, OUTCOMES, type CallIdentity } from './simulate-payloads.js';

export interface LoadOptions {
  target: Target;
  calls: number;
  concurrency: number;
  method: WireMethod;
  from: string;
  to: string;
  mix: Mix;
  seed: number;
  /** Only the voice-application request of each call (Cloudonix configured with the voice URL only). */
  voiceOnly: boolean;
  /** Simulated start of the first call (epoch ms); call n starts n–n+1 s later. Default: now. */
  startAt?: number;
  /** Defaults to HTTP against `target`; a test may pass its own. */
  send?: SendWebhook;
}

/** What the service answered over the whole run. */
export interface ServiceTally {
  /** Dials and Connects followed, failover ones included. */
  dials: number;
  connects: number;
  /** Dials/Connects answered to a failed leg's callback. */
  failovers: number;
  /** Answers that ended the call (hangup, reject, a message, nothing to do). */
  hangups: number;
  /** Answers to a callback after the call was over (answered and done, or the caller hung up), by kind; not followed. */
  afterCallOver: Map<string, number>;
}

export interface LoadResult {
  calls: number;
  /** Webhook requests sent, by kind. */
  requests: Map<WebhookRequest['kind'], number>;
  /** Requests that got a non-2xx answer or none. */
  errors: number;
  seconds: number;
  /** Latency of each voice-application request, in ms, sorted. */
  latencies: number[];
  /** What each voice request was answered (`vapi +1212…`, `hangup`, …). */
  answers: Map<string, number>;
  /** How many calls played each scenario (empty with voiceOnly). */
  scenarios: Map<Scenario, number>;
  /** The dispositions of the CDRs sent. */
  dispositions: Map<string, number>;
  service: ServiceTally;
  firstError: string | null;
}

/** The value below which `p` percent of the sorted samples fall (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? 0;
}

/**
 * Call `index` of a run playing `scenario` (see planScenarios): its script and start
 * depend only on the seed, the index and the scenario, not on the order workers reach it.
 */
export function scriptedCall(o: Pick<LoadOptions, 'target' | 'from' | 'to' | 'seed'>, index: number, scenario: Scenario, startAt: number): { script: CallScript; call: CallIdentity } {
  const r = callRandom(o.seed, index);
  const script = scriptFor(scenario, r);
  const startedAt = startAt + index * 1000 + Math.floor(r() * 1000);
  return { script, call: newCall(o.target.domain, o.from, o.to, undefined, startedAt) };
}

const bump = <K>(m: Map<K, number>, k: K, n = 1): void => {
  m.set(k, (m.get(k) ?? 0) + n);
};

/**
 * `calls` calls, each a new session, at most `concurrency` at a time, each played to
 * its end with its scripted scenario (see playCall), or only its voice request with
 * `voiceOnly`. Non-2xx answers and unreachable servers count as errors.
 */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const send = o.send ?? httpSender(o.target, o.method);
  const startAt = o.startAt ?? Date.now();
  const result: LoadResult = {
    calls: o.calls,
    requests: new Map(),
    errors: 0,
    seconds: 0,
    latencies: [],
    answers: new Map(),
    scenarios: new Map(),
    dispositions: new Map(),
    service: { dials: 0, connects: 0, failovers: 0, hangups: 0, afterCallOver: new Map() },
    firstError: null,
  };

  function tally(report: CallReport): void {
    result.errors += report.failures;
    for (const step of report.steps) {
      bump(result.requests, step.request.kind);
      if (step.request.kind === 'voice' && step.answer) result.latencies.push(step.answer.ms);
      if (step.error !== null && (step.answer === null || step.answer.status < 200 || step.answer.status > 299)) result.firstError ??= `${step.label}: ${step.error}`;
    }
    for (const a of report.answers) {
      // A WebSocket URL holds the call's own values in its query: counted without them, agent by agent.
      if (a.after === 'voice') bump(result.answers, a.label.replace(/\?.*$/, ''));
      if (o.voiceOnly) continue;
      if (!a.followed) bump(result.service.afterCallOver, a.kind);
      else if (a.kind === 'dial' || a.kind === 'connect') {
        result.service[a.kind === 'dial' ? 'dials' : 'connects'] += 1;
        if (a.after === 'callback') result.service.failovers += 1;
      } else result.service.hangups += 1;
    }
    if (report.outcome) bump(result.dispositions, DISPOSITION[report.outcome]);
  }

  const plan = planScenarios(o.mix, o.calls, o.seed);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < o.calls) {
      const index = next;
      next += 1;
      const scenario = plan[index] ?? 'answered';
      const { script, call } = scriptedCall(o, index, scenario, startAt);
      if (!o.voiceOnly) bump(result.scenarios, scenario);
      tally(await playCall({ call, script, send, voiceOnly: o.voiceOnly }));
    }
  }

  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(o.concurrency, o.calls) }, () => worker()));
  result.seconds = (performance.now() - started) / 1000;
  result.latencies.sort((a, b) => a - b);
  return result;
}

const list = (entries: Iterable<[string, number]>): string =>
  [...entries]
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ') || 'none';

export function printLoad(r: LoadResult, print: (line: string) => void): void {
  const f = (ms: number) => ms.toFixed(1);
  const l = r.latencies;
  const total = [...r.requests.values()].reduce((a, b) => a + b, 0);
  print(`calls: ${r.calls}  requests: ${total}  errors: ${r.errors}  time: ${r.seconds.toFixed(2)}s  throughput: ${(total / r.seconds).toFixed(1)} req/s`);
  const kinds: [string, WebhookRequest['kind']][] = [['voice', 'voice'], ['callback', 'action'], ['session', 'session'], ['cdr', 'cdr']];
  print(`requests by kind: ${list(kinds.map(([name, kind]) => [name, r.requests.get(kind) ?? 0]))}`);
  print(`voice request latency ms: p50 ${f(percentile(l, 50))}  p95 ${f(percentile(l, 95))}  p99 ${f(percentile(l, 99))}  max ${f(l[l.length - 1] ?? 0)}`);
  const answers = [...r.answers.entries()].sort((a, b) => b[1] - a[1]);
  if (answers.length > 0) print(`answers: ${answers.map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  if (r.scenarios.size > 0) {
    print(`scripted: ${list(SCENARIOS.map((s) => [s, r.scenarios.get(s) ?? 0]))}`);
    const s = r.service;
    print(`service: dials ${s.dials}, connects ${s.connects}, failovers ${s.failovers}, hangups ${s.hangups}; after the call was over: ${list(s.afterCallOver)}`);
    print(`ended (CDR): ${list(OUTCOMES.map((o) => [DISPOSITION[o], r.dispositions.get(DISPOSITION[o]) ?? 0]))}`);
  }
  if (r.firstError) print(`first error: ${r.firstError}`);
}
