/**
 * A process that writes new routed calls through group commit into a SQLite file as fast as
 * twenty callers can, and prints each call's session on its own line once its write has
 * resolved, i.e. the moment the service would answer Cloudonix. The test kills it (SIGKILL)
 * mid-stream and then looks for every printed session in the file.
 *
 *   node --import tsx test/support/group-commit-child.ts <sqlite file>
 */
import { writeSync } from 'node:fs';
import { createGroupCommit } from '../../src/services/group-commit.js';
import { openStore } from '../../src/store/database.js';
import { createRepositories } from '../../src/store/index.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import type { RoutedCallRows } from '../../src/store/routed-calls.js';

const store = openStore(`sqlite:${process.argv[2]}`);
await migrateToLatest(store);
const repos = createRepositories(store);
const now = Date.now();
const tenantId = await repos.tenants.insert({ name: 'T', domain: 't.example', webhook_secret_sealed: 'x', settings: '{}', created_at: now, updated_at: now });

function call(session: string): RoutedCallRows {
  return {
    record: {
      tenant_id: tenantId, session_token: session, direction: 'inbound', from_number: '+1', to_number: '+2', status: 'connecting',
      agent_id: 1, group_id: null, rule_id: null, attempt: 1, decision_trace: '{"chosen":1}', disposition: null,
      started_at: now, answered_at: null, ended_at: null, duration_seconds: null, billsec: null, created_at: now, updated_at: now, facts: null, outcome_reason: null, cloudonix_direction: null, variant: null, is_test: 0,
      // Cast: the column list changes with migrations; the writer takes the columns it knows.
      first_answer: null,
    } as RoutedCallRows['record'],
    events: [
      { event_id: null, event_type: 'call.received', from_status: null, to_status: 'received', payload: null, occurred_at: now },
      { event_id: null, event_type: 'call.routed', from_status: 'received', to_status: 'connecting', payload: '{"a":1}', occurred_at: now },
    ],
  };
}

const commit = createGroupCommit<RoutedCallRows, number | undefined>({
  writeBatch: (calls) => repos.routedCalls.insert(calls),
  writeOne: async (c) => (await repos.routedCalls.insert([c]))[0],
  maxBatch: 200,
});
printLine(`tenant ${tenantId}\n`);
/**
 * Writes a line to stdout before anything else runs. The pipe is non-blocking: on a loaded host
 * the test may read it too slowly and a write then finds it full (EAGAIN); it is tried again,
 * never dropped. A line this short is written whole or not at all.
 */
function printLine(text: string): void {
  for (;;) {
    try {
      writeSync(1, text);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
    }
  }
}

let next = 0;
async function caller(): Promise<never> {
  for (;;) {
    const session = `crash-${next++}`;
    await commit.write(call(session));
    // Synchronous: the line is out of the process before anything else runs, as an answer would be.
    printLine(`${session}\n`);
  }
}
await Promise.all(Array.from({ length: 20 }, caller));
