/**
 * What a call write costs the real-time side when no dashboard of its tenant is open
 * (issue 23), old way against new in one run, CPU time per write (process.cpuUsage, many
 * iterations, best of several rounds), the memory plane's log append included (each
 * batch of writes is settled):
 *
 * - old: every write's events built (the dashboard view of the row, each event's JSON)
 *   and appended to the tenant's log, as `callWritten` did before;
 * - new: `callWritten` for a tenant watched nowhere (a lookup, a count; the tenant's one
 *   gap entry was stored by the first write);
 * - for reference, new for a tenant with a dashboard open on this instance (unchanged work).
 *
 *   npx tsx bench/realtime-unwatched.ts   (BENCH_ITERATIONS, default 100000)
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createMemoryPlane } from '../src/plane/memory-plane.js';
import { createLogger } from '../src/services/logger.js';
import { callEventsOf } from '../src/services/realtime/call-events.js';
import { createRealtime } from '../src/services/realtime/index.js';
import type { RealtimeSocket } from '../src/services/realtime/connection.js';
import type { CallWrite } from '../src/services/routing/call-recorder.js';
import type { CallRecordRow } from '../src/store/call-records.js';
import type { Principal } from '../src/core/principal.js';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 100_000);
const ROUNDS = 5;
const BATCH = 100;

const row = (status: string, answeredAt: number | null) =>
  ({
    id: 981_234, tenant_id: 7, session_token: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', direction: 'inbound', from_number: '+14155550123', to_number: '+12125550187',
    status, outcome_reason: null, cloudonix_direction: 'incoming', agent_id: 12, group_id: 3, rule_id: 5, attempt: 1, disposition: null,
    started_at: 1_765_000_000_000, answered_at: answeredAt, ended_at: null, duration_seconds: null, billsec: null, variant: null, is_test: 0,
  }) as unknown as CallRecordRow;
const writeFor = (tenantId: number): CallWrite => ({ kind: 'created', tenantId, record: row('connecting', null), routed: true });
const changeFor = (tenantId: number): CallWrite => ({ kind: 'changed', tenantId, before: row('connecting', null), after: row('connected', 1_765_000_003_000), changes: [] });

async function main(): Promise<void> {
  const plane = createMemoryPlane();
  const logger = createLogger('silent');
  const config = { replayEvents: 1000, replaySeconds: 300, heartbeatSeconds: 30, connectsPerMinute: 120, watchAnnounceSeconds: 1 };
  const realtime = createRealtime({ config, plane, clock: Date.now, logger, stats: async () => ({}) as never });
  await realtime.start();
  // Past the start-up window in which every tenant counts as watched.
  await sleep(2200);
  const socket: RealtimeSocket = { send: () => undefined, close: () => undefined, ping: () => undefined, get bufferedAmount() { return 0; }, on: () => undefined } as unknown as RealtimeSocket;
  await realtime.hub.attach({ tenantId: 2, userId: 1, role: 'analyst' } as unknown as Principal, socket, undefined);

  const old = (w: CallWrite) => {
    const { events, call } = callEventsOf(w);
    for (const event of events) realtime.log.raise(w.tenantId, event, call);
  };
  const variants: [string, (i: number) => void][] = [
    ['old: events built for a tenant nobody watches', (i) => old(i % 2 ? changeFor(1) : writeFor(1))],
    ['new: the same writes, tenant watched nowhere', (i) => realtime.callWritten(i % 2 ? changeFor(3) : writeFor(3))],
    ['new: a watched tenant (reference)', (i) => realtime.callWritten(i % 2 ? changeFor(2) : writeFor(2))],
  ];
  console.log(`real-time work per call write, CPU µs (best of ${ROUNDS} rounds of ${ITERATIONS}, log appends settled every ${BATCH})`);
  const builtBefore = realtime.log.built;
  for (const [label, fn] of variants) {
    let best = Infinity;
    for (let r = 0; r < ROUNDS; r++) {
      const start = process.cpuUsage();
      for (let i = 0; i < ITERATIONS; i++) {
        fn(i);
        if (i % BATCH === BATCH - 1) await realtime.log.settle();
      }
      await realtime.log.settle();
      const used = process.cpuUsage(start);
      best = Math.min(best, (used.user + used.system) / ITERATIONS);
    }
    console.log(`  ${label}: ${best.toFixed(2)}`);
  }
  console.log(`  entries built: ${realtime.log.built - builtBefore}, call writes skipped: ${realtime.callWritesSkipped}`);
  await realtime.stop();
}

await main();
