/**
 * Realistic synthetic calls for demos and benchmarks: a seeded generator (the
 * same seed gives the same calls), busier in working hours and on weekdays, with
 * a believable mix of outcomes and durations. Pure: it returns plain objects.
 */
export interface SyntheticAgent {
  id: number;
  groupId: number | null;
}

export interface SyntheticCall {
  sessionToken: string;
  direction: 'inbound' | 'outbound';
  from: string;
  to: string;
  status: 'completed' | 'failed' | 'busy' | 'no_answer';
  disposition: 'answered' | 'failed' | 'busy' | 'no_answer';
  cdrDisposition: 'ANSWER' | 'FAILED' | 'BUSY' | 'NOANSWER';
  agentId: number;
  groupId: number | null;
  attempt: number;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number;
  durationSeconds: number;
  billsec: number;
}

/** mulberry32: small, fast and good enough for test data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOUR = 3_600_000;

/** `count` calls spread over the `days` days before `now`. */
export function* syntheticCalls(count: number, agents: readonly SyntheticAgent[], now: number, days: number, seed = 1): Generator<SyntheticCall> {
  if (agents.length === 0) return;
  const rnd = seededRandom(seed);
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join('');
  for (let i = 0; i < count; i++) {
    // Working hours and weekdays get most calls: retry the draw a few times for a quiet slot.
    let startedAt = now - Math.floor(rnd() * days * 24 * HOUR);
    for (let tries = 0; tries < 3; tries++) {
      const d = new Date(startedAt);
      const busy = d.getUTCHours() >= 8 && d.getUTCHours() < 20 && d.getUTCDay() !== 0 && d.getUTCDay() !== 6;
      if (busy || rnd() < 0.25) break;
      startedAt = now - Math.floor(rnd() * days * 24 * HOUR);
    }
    const agent = agents[Math.floor(rnd() * agents.length)]!;
    const roll = rnd();
    const outcome = roll < 0.78 ? 'completed' : roll < 0.88 ? 'no_answer' : roll < 0.95 ? 'busy' : 'failed';
    const ring = 1000 + Math.floor(rnd() * 6000);
    const talk = outcome === 'completed' ? 15 + Math.floor(-Math.log(1 - rnd()) * 150) : 0;
    const answeredAt = outcome === 'completed' ? startedAt + ring : null;
    const endedAt = startedAt + ring + talk * 1000;
    yield {
      sessionToken: `synthetic-${seed}-${i}-${digits(8)}`,
      direction: rnd() < 0.9 ? 'inbound' : 'outbound',
      from: `+1${digits(10)}`,
      to: `+1212555${digits(4)}`,
      status: outcome,
      disposition: outcome === 'completed' ? 'answered' : outcome,
      cdrDisposition: outcome === 'completed' ? 'ANSWER' : outcome === 'no_answer' ? 'NOANSWER' : outcome === 'busy' ? 'BUSY' : 'FAILED',
      agentId: agent.id,
      groupId: agent.groupId,
      attempt: outcome === 'completed' ? 1 + (rnd() < 0.1 ? 1 : 0) : 1,
      startedAt,
      answeredAt,
      endedAt,
      durationSeconds: Math.round((endedAt - startedAt) / 1000),
      billsec: talk,
    };
  }
}
