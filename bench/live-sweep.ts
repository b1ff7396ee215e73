// bench/live-sweep: the live-state sweep's read of a tenant's live calls on SQLite, when their ends never
// come (only the voice URL configured): every call of `max_call_minutes` is live. The sweep rebuilds the
// agents' slots from them once a minute. Compared in one run, on the same file: the read as it was (every
// live call at once, all columns and the agent and group names, up to 100,000) against the read a page at a
// time (only the columns the facts come from). Prints CPU and the longest the event loop was held.
// Usage: npx tsx bench/live-sweep.ts [--live 50000] [--ended 50000] [--rounds 3]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { Insertable } from 'kysely';
import { NO_FACTS } from '../src/core/lifecycle/call-event.js';
import { factsText } from '../src/core/lifecycle/facts-text.js';
import { foldCallEvent } from '../src/core/lifecycle/fold-call.js';
import { tellStory } from '../src/core/lifecycle/tell-story.js';
import { liveStates } from '../src/core/routing/call-state.js';
import { factsOfRow } from '../src/services/routing/stored-facts.js';
import { createCallRecordStore, type StartCursor } from '../src/store/call-records.js';
import { openStore } from '../src/store/database.js';
import { writeJson } from '../src/store/json-column.js';
import { migrateToLatest } from '../src/store/migrate.js';
import type { CallRecordsTable } from '../src/store/schema.js';

const { values } = parseArgs({ options: { live: { type: 'string', default: '50000' }, ended: { type: 'string', default: '50000' }, rounds: { type: 'string', default: '3' } } });
const LIVE = Number(values.live);
const ENDED = Number(values.ended);
const ROUNDS = Number(values.rounds);
const PAGE = 1_000;
const TRACE = writeJson({ direction: 'inbound', matched_rule: { id: 1, kind: 'inbound', name: 'all', pattern: '*' }, target: { type: 'group', id: 1 }, strategy: 'round_robin', group_id: 1, rotation_counter: 7, candidates: [1, 2, 3, 4, 5, 6], skipped: [], chosen_agent_id: 1, attempts: [{ attempt: 1, agent_id: 1, at: '2026-12-07T10:00:00.000Z', outcome: null }], settings: { max_attempts: 3, fallback_enabled: true, failover_on_busy: false }, outbound: null, fallback: null });

function row(tenantId: number, i: number, startedAt: number, live: boolean): Insertable<CallRecordsTable> {
  const agentId = (i % 6) + 1;
  const facts = foldCallEvent(NO_FACTS, { kind: 'answer', step: 0, at: startedAt, act: 'dial', attempt: 1, agentId, fallback: null });
  return {
    tenant_id: tenantId, session_token: `sweep-${i}-${(i * 2654435761) % 1e9}`, direction: 'inbound', from_number: `+1212555${1000 + (i % 9000)}`, to_number: '+12125550100',
    status: live ? 'connecting' : 'completed', agent_id: agentId, group_id: 1, rule_id: 1, attempt: 1, decision_trace: TRACE, disposition: null, started_at: startedAt,
    answered_at: null, ended_at: live ? null : startedAt + 60_000, duration_seconds: live ? null : 60, billsec: null, created_at: startedAt, updated_at: startedAt,
    facts: factsText(facts), outcome_reason: live ? null : 'answered', cloudonix_direction: 'inbound', variant: null, is_test: 0,
    first_answer: '<?xml version="1.0" encoding="UTF-8"?><Response><Dial action="https://lb.example.com/api/voice/callback/bench.test?attempt=1&amp;token=x" timeout="30"><Service provider="vapi">+12125551001</Service></Dial></Response>',
  };
}

type Held = Map<number, Set<string>>;
function hold(held: Held, row: Parameters<typeof factsOfRow>[0] & { session_token: string }): void {
  for (const a of tellStory(factsOfRow(row)).attempts) {
    if (a.agentId === null || (a.outcome !== null && a.outcome !== 'in_progress' && a.outcome !== 'answered')) continue;
    const sessions = held.get(a.agentId) ?? new Set<string>();
    sessions.add(row.session_token);
    held.set(a.agentId, sessions);
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vlb-bench-live-sweep-'));
  const store = openStore(`sqlite:${join(dir, 'bench.sqlite')}`);
  try {
    await migrateToLatest(store);
    const now = Date.now();
    const tenantId = await store.dialect.insertId(store.db, 'tenants', { name: 'bench', domain: 'bench.test', webhook_secret_sealed: 'v1:x', settings: writeJson({}), created_at: now, updated_at: now });
    const total = LIVE + ENDED;
    // The last LIVE calls of the window are live, the ones before ended: a window of 2 hours.
    for (let i = 0; i < total; i += 500) {
      await store.db.insertInto('call_records').values(Array.from({ length: Math.min(500, total - i) }, (_, k) => row(tenantId, i + k, now - Math.floor(((total - i - k) * 7_000_000) / total), i + k >= ENDED))).execute();
    }
    const calls = createCallRecordStore(store);
    const since = now - 7_200_000;
    const ways: [string, () => Promise<Held>][] = [
      ['one read (before)', async () => {
        const held: Held = new Map();
        for (const r of await calls.listNamedInStatus(tenantId, liveStates, since, {}, 100_000)) hold(held, r);
        return held;
      }],
      [`pages of ${PAGE} (after)`, async () => {
        const held: Held = new Map();
        for (const status of liveStates) {
          for (let after: StartCursor | null = null; ; await setImmediate()) {
            const page = await calls.pageInStatus(tenantId, status, since, after, PAGE);
            for (const r of page) hold(held, r);
            const last = page[page.length - 1];
            if (!last || page.length < PAGE) break;
            after = { startedAt: Number(last.started_at), id: Number(last.id) };
          }
        }
        return held;
      }],
    ];
    console.log(`live-sweep: ${new Date().toISOString()}, Node ${process.version}; ${LIVE} live calls and ${ENDED} ended in the window, SQLite`);
    for (let round = 1; round <= ROUNDS; round += 1) {
      for (const [name, run] of ways) {
        // The longest gap between two ticks of a 1 ms timer: how long a webhook could have waited.
        let longest = 0;
        let last = performance.now();
        const ticker = setInterval(() => {
          const t = performance.now();
          longest = Math.max(longest, t - last);
          last = t;
        }, 1);
        const cpu0 = process.cpuUsage();
        const held = await run();
        const cpu = process.cpuUsage(cpu0);
        // A block is seen when the timer next fires: let it.
        await new Promise((r) => setTimeout(r, 20));
        clearInterval(ticker);
        const sessions = [...held.values()].reduce((n, s) => n + s.size, 0);
        console.log(`  round ${round} ${name.padEnd(20)} CPU ${((cpu.user + cpu.system) / 1000).toFixed(0).padStart(5)} ms, event loop held at most ${longest.toFixed(0).padStart(5)} ms; ${sessions} sessions held`);
      }
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
