import { randomInt } from 'node:crypto';
import { playCall } from '../../src/cli/simulate-call.js';
import { webhookUrl, type Answer, type SendWebhook, type Target, type WebhookRequest } from '../../src/cli/simulate-http.js';
import { callRandom, planScenarios, scriptFor, type Mix, type Scenario } from '../../src/cli/simulate-mix.js';
import { newCall } from '../../src/cli/simulate-payloads.js';
import type { ExchangeLog } from './exchange-log.js';

/**
 * Whole calls played as Cloudonix would (src/cli/simulate-call.ts) through the proxy,
 * started at a steady rate: the voice request, the legs' session updates and action
 * callbacks, the final update and the CDR, with a short real pause before each step
 * so a call spans instances and restarts. Session updates and CDRs answered 5xx are
 * sent again after Retry-After, as Cloudonix retries them; voice requests and
 * callbacks are not (the caller is waiting: any answer but CXML is a failure).
 */
export interface CallLoadSpec {
  target: Target;
  callsPerSecond: number;
  /** No call starts after this (epoch ms; asked again before each call, as a rolling restart may run late)... */
  until: () => number;
  /** ...nor after this many. */
  maxCalls: number;
  maxInFlight: number;
  mix: Mix;
  seed: number;
  /** Pause before each step after the voice request, ms [low, high). */
  stepPauseMs: [number, number];
}

export interface PlayedCall {
  session: string;
  scenario: Scenario;
  /** 200 with CXML to the voice request. */
  voiceAcked: boolean;
  /** The first leg's label (`vapi +1212…`): the rotation's pick. */
  firstLeg: string | null;
  /** The instance that answered the voice request. */
  voiceUpstream: string | null;
  /** The CDR was finally answered 2xx. */
  cdrAcked: boolean;
  /** Session updates sent and answered 2xx (after retries). */
  updates: number;
  updatesAcked: number;
  /** The eventIds of the session updates answered 2xx: each must be on the call's timeline once. */
  ackedEventIds: string[];
  /** Voice or callback answers that were not 200 with CXML. */
  notCxml: number;
  /** A session update or CDR never got a 2xx within its retries. */
  gaveUp: number;
}

export interface CallLoadResult {
  calls: PlayedCall[];
  /** Retries of session updates and CDRs after a 503 (documented retryable) and after anything else. */
  retried503: number;
  retriedOther: number;
}

const RETRIES = 6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function flatten(params: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined) out[k] = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return out;
}

export async function runCallLoad(spec: CallLoadSpec, log: ExchangeLog): Promise<CallLoadResult> {
  const { target } = spec;
  const plan = planScenarios(spec.mix, Math.min(spec.maxCalls, 10_000), spec.seed);
  const result: CallLoadResult = { calls: [], retried503: 0, retriedOther: 0 };

  async function exchange(route: string, url: URL, method: 'GET' | 'POST', body: Record<string, unknown>, bearer: boolean): Promise<Answer & { upstream: string | null; retryAfterMs: number | null }> {
    const headers: Record<string, string> = { 'x-cx-domain': target.domain };
    if (bearer && target.secret) headers.authorization = `Bearer ${target.secret}`;
    const init: RequestInit = { method, headers };
    if (method === 'GET') for (const [k, v] of Object.entries(flatten(body))) url.searchParams.set(k, v);
    else {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const at = Date.now();
    const t0 = performance.now();
    try {
      const res = await fetch(url, init);
      const text = await res.text();
      const ms = performance.now() - t0;
      const upstream = res.headers.get('x-bench-upstream');
      log.add({ route, status: res.status, at, ms, upstream });
      const retryAfter = Number(res.headers.get('retry-after'));
      return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: text, ms, upstream, retryAfterMs: retryAfter > 0 ? retryAfter * 1000 : null };
    } catch {
      const ms = performance.now() - t0;
      log.add({ route, status: 0, at, ms, upstream: null });
      return { status: 0, contentType: '', body: '', ms, upstream: null, retryAfterMs: null };
    }
  }

  async function playOne(index: number): Promise<void> {
    const scenario = plan[index % plan.length]!;
    const script = scriptFor(scenario, callRandom(spec.seed, index));
    const call = newCall(target.domain, `+1415555${String(randomInt(0, 10_000)).padStart(4, '0')}`, '+12125550187');
    const played: PlayedCall = { session: call.session, scenario, voiceAcked: false, firstLeg: null, voiceUpstream: null, cdrAcked: false, updates: 0, updatesAcked: 0, ackedEventIds: [], notCxml: 0, gaveUp: 0 };
    const pause = () => sleep(spec.stepPauseMs[0] + Math.random() * (spec.stepPauseMs[1] - spec.stepPauseMs[0]));

    /** Session updates and CDRs: again after Retry-After while the answer is 5xx or missing, as Cloudonix does. */
    async function stored(route: 'session' | 'cdr', body: Record<string, unknown>): Promise<Answer> {
      const url = webhookUrl(target, route, true);
      let answer = await exchange(route, new URL(url), 'POST', body, false);
      for (let i = 1; i < RETRIES && (answer.status === 0 || answer.status >= 500); i += 1) {
        if (answer.status === 503) result.retried503 += 1;
        else result.retriedOther += 1;
        await sleep(Math.min(2000, answer.retryAfterMs ?? 500));
        answer = await exchange(route, new URL(url), 'POST', body, false);
      }
      if (answer.status < 200 || answer.status >= 300) played.gaveUp += 1;
      return answer;
    }

    const send: SendWebhook = async (r: WebhookRequest) => {
      if (r.kind !== 'voice') await pause();
      switch (r.kind) {
        case 'voice': {
          const a = await exchange('voice', webhookUrl(target, 'voice', false), 'POST', r.body, true);
          played.voiceUpstream = a.upstream;
          return a;
        }
        case 'action': {
          const given = new URL(r.url, target.base);
          return exchange('callback', new URL(`${given.pathname}${given.search}`, target.base), r.method, r.body, true);
        }
        case 'session': {
          played.updates += 1;
          const a = await stored('session', r.body);
          if (a.status >= 200 && a.status < 300) {
            played.updatesAcked += 1;
            if (typeof r.body.eventId === 'string') played.ackedEventIds.push(r.body.eventId);
          }
          return a;
        }
        case 'cdr': {
          const a = await stored('cdr', r.body);
          played.cdrAcked = a.status >= 200 && a.status < 300;
          return a;
        }
      }
    };

    const report = await playCall({ call, script, send, maxLegs: 3 });
    const first = report.answers[0];
    played.voiceAcked = first !== undefined && first.kind !== 'failed' && first.kind !== 'not-cxml';
    played.firstLeg = first && (first.kind === 'dial' || first.kind === 'connect') ? first.label : null;
    played.notCxml = report.answers.filter((a) => a.kind === 'failed' || a.kind === 'not-cxml').length;
    result.calls.push(played);
  }

  const inFlight = new Set<Promise<void>>();
  const began = Date.now();
  for (let i = 0; i < spec.maxCalls && Date.now() < spec.until(); i += 1) {
    const due = began + (i * 1000) / spec.callsPerSecond;
    if (due > Date.now()) await sleep(due - Date.now());
    while (inFlight.size >= spec.maxInFlight) await Promise.race(inFlight);
    const p = playOne(i).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  return result;
}
