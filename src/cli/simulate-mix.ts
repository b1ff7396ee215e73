import { seededRandom } from '../core/synthetic/synthetic-calls.js';
import type { Outcome } from './simulate-payloads.js';

/**
 * The scripted calls of `simulate load`: which scenario each call plays and how
 * long each part lasts. A seed makes the scripts repeatable; only session tokens
 * and event ids stay random, so a second run is not read as a replay of the first.
 */
export type Scenario = 'answered' | 'no-answer' | 'busy' | 'failover' | 'caller-hangup' | 'failed';
export const SCENARIOS: readonly Scenario[] = ['answered', 'no-answer', 'busy', 'failover', 'caller-hangup', 'failed'];

/** Relative weight of each scenario; they need not add up to 100. */
export type Mix = Readonly<Record<Scenario, number>>;
export const DEFAULT_MIX: Mix = { answered: 60, 'no-answer': 10, busy: 8, failover: 10, 'caller-hangup': 7, failed: 5 };

/** How one agent leg goes: its outcome and how long it rings before that outcome. */
export interface LegScript {
  outcome: Outcome;
  ringSeconds: number;
}

/** One call's script; attempt n plays `legs[n - 1]`, and attempts past the end play the last leg again. */
export interface CallScript {
  legs: readonly LegScript[];
  /** How long the conversation lasts once a leg is answered. */
  talkSeconds: number;
}

/** Domain default ring timeout (profile `call-timeout`, §2.2): an unanswered leg rings this long unless the Dial says less. */
export const NO_ANSWER_RING_SECONDS = 60;

/** `answered=60,no-answer=10,…`; scenarios left out weigh 0. Throws with a message fit for the user. */
export function parseMix(text: string): Mix {
  const weights: Record<Scenario, number> = { answered: 0, 'no-answer': 0, busy: 0, failover: 0, 'caller-hangup': 0, failed: 0 };
  for (const part of text.split(',')) {
    const [name = '', value = '', ...extra] = part.split('=').map((s) => s.trim());
    if (!(SCENARIOS as readonly string[]).includes(name)) throw new Error(`--mix: unknown scenario "${name}" (use ${SCENARIOS.join(', ')})`);
    if (extra.length > 0 || !/^\d+(\.\d+)?$/.test(value)) throw new Error(`--mix: "${part.trim()}" must be scenario=weight, the weight a number ≥ 0`);
    weights[name as Scenario] = Number(value);
  }
  if (SCENARIOS.every((s) => weights[s] === 0)) throw new Error('--mix: give at least one scenario a weight above 0');
  return weights;
}

export function formatMix(mix: Mix): string {
  return SCENARIOS.filter((s) => mix[s] > 0)
    .map((s) => `${s}=${mix[s]}`)
    .join(',');
}

/** A repeatable source of numbers in [0, 1). */
export type Random = () => number;


/**
 * Call `index`'s own random source: it depends on the seed and the index only, so
 * a call's script is the same whatever order the concurrent workers reach it in.
 */
export function callRandom(seed: number, index: number): Random {
  const h = Math.imul((seed ^ 0x9e3779b9) >>> 0, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35);
  return seededRandom(h);
}

/** Seconds in [low, high), to the millisecond. */
function seconds(r: Random, low: number, high: number): number {
  return Math.round((low + r() * (high - low)) * 1000) / 1000;
}

/**
 * Which scenario each of `count` calls plays: each scenario's share of the mix,
 * rounded so the shares add up to `count` (largest remainders first), in an order
 * shuffled by the seed. Exact shares make a small run show the mix it was asked for.
 */
export function planScenarios(mix: Mix, count: number, seed: number): Scenario[] {
  const total = SCENARIOS.reduce((sum, s) => sum + mix[s], 0);
  const exact = SCENARIOS.map((s) => ({ s, share: (mix[s] / total) * count }));
  const counts = new Map(exact.map(({ s, share }) => [s, Math.floor(share)]));
  let missing = count - [...counts.values()].reduce((a, b) => a + b, 0);
  for (const { s } of [...exact].sort((a, b) => (b.share % 1) - (a.share % 1))) {
    if (missing <= 0) break;
    counts.set(s, (counts.get(s) ?? 0) + 1);
    missing -= 1;
  }
  const plan = SCENARIOS.flatMap((s) => Array.from({ length: counts.get(s) ?? 0 }, () => s));
  const r = seededRandom(seed ^ 0x5bd1e995);
  for (let i = plan.length - 1; i > 0; i -= 1) {
    const j = Math.floor(r() * (i + 1));
    [plan[i], plan[j]] = [plan[j]!, plan[i]!];
  }
  return plan;
}

/**
 * The legs of each scenario. Ring times: an answer after 2–8 s, busy after
 * 0.5–3 s, a technical failure after 0.2–2 s, the caller giving up after
 * 3–20 s, no answer until the ring timeout. Conversations last 20–300 s.
 */
export function scriptFor(scenario: Scenario, r: Random): CallScript {
  const answered = (): LegScript => ({ outcome: 'completed', ringSeconds: seconds(r, 2, 8) });
  const noAnswer = (): LegScript => ({ outcome: 'no-answer', ringSeconds: NO_ANSWER_RING_SECONDS });
  const failed = (): LegScript => ({ outcome: 'failed', ringSeconds: seconds(r, 0.2, 2) });
  const legs: Record<Scenario, () => LegScript[]> = {
    answered: () => [answered()],
    'no-answer': () => [noAnswer()],
    busy: () => [{ outcome: 'busy', ringSeconds: seconds(r, 0.5, 3) }],
    failover: () => [r() < 0.5 ? noAnswer() : failed(), answered()],
    'caller-hangup': () => [{ outcome: 'canceled', ringSeconds: seconds(r, 3, 20) }],
    failed: () => [failed()],
  };
  return { legs: legs[scenario](), talkSeconds: seconds(r, 20, 300) };
}
