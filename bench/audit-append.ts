/**
 * The webhook audit row's own costs (issue 23), old way against new on the same inputs in
 * one run, CPU time per row (process.cpuUsage, many iterations, best of several rounds):
 *
 * - the payload: `maskSecrets` (a deep copy) then `stringifyWellFormed`, against
 *   `maskSecretsShared` (copies only what it masks) then `stringifyWellFormed`, and, for
 *   reference, one JSON.stringify with a masking replacer;
 * - the hand-off to the SQLite writer thread, both sides: a 200-row batch as one JSON
 *   text (each payload escaped again inside it), against the payloads beside the JSON
 *   as a list of strings (what postMessage clones: v8.serialize/deserialize here).
 *
 * Inputs are the bodies Cloudonix sends (voice request, session update, CDR; shapes from
 * test/support), parsed from JSON as Fastify would, with the secret in the query.
 *
 *   npx tsx bench/audit-append.ts   (BENCH_ITERATIONS, default 100000)
 */
import { deserialize, serialize } from 'node:v8';
import { maskSecrets, maskSecretsShared } from '../src/core/mask.js';
import { stringifyWellFormed } from '../src/core/well-formed-json.js';
import { cdrBody, sessionUpdateBody, type FakeSession } from '../test/support/fake-cloudonix-events.js';
import { voiceBody } from '../test/support/cloudonix.js';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 100_000);
const ROUNDS = 5;

const token = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const domain = 'acme-bench.cloudonix.net';
const session: FakeSession = {
  id: 4711, token, domain, domainId: 12, direction: 'incoming', status: 'connected', destination: '+12125550187', callerId: '+14155550123',
  callback: null, timeLimit: null, callStartTime: 1_765_000_000_000, callAnswerTime: 1_765_000_003_000, callEndTime: 1_765_000_045_000,
  createdAt: 1_765_000_000_000, modifiedAt: 1_765_000_045_000, applications: [], hungUp: null,
};
const parsed = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;
const inputs = {
  voice: { query: { token: 'whsec-0123456789abcdef' }, body: parsed(voiceBody(domain, token)) },
  'session update': { query: { token: 'whsec-0123456789abcdef' }, body: parsed(sessionUpdateBody(session)) },
  cdr: { query: { token: 'whsec-0123456789abcdef' }, body: parsed(cdrBody(session, 'ANSWER', '8c6d3f2e-0000-4000-8000-000000000001')) },
};

const SECRET_KEY = /pass(word)?|secret|token|authorization|api[-_]?key|credential/i;
const replacer = (k: string, v: unknown) => (SECRET_KEY.test(k) && v !== null && v !== undefined && typeof v !== 'boolean' ? '********' : v);

const seen = new Map<string, boolean>();
const secretKey = (k: string) => {
  let hit = seen.get(k);
  if (hit === undefined) seen.set(k, (hit = SECRET_KEY.test(k)));
  return hit;
};
const cachedReplacer = (k: string, v: unknown) => (v !== null && v !== undefined && typeof v !== 'boolean' && secretKey(k) ? '********' : v);
const variants = {
  'old: maskSecrets + stringify': (q: unknown, b: unknown) => stringifyWellFormed({ query: maskSecrets(q), body: maskSecrets(b) }),
  'new: maskSecretsShared + stringify': (q: unknown, b: unknown) => stringifyWellFormed({ query: maskSecretsShared(q), body: maskSecretsShared(b) }),
  'ref: JSON.stringify with a masking replacer': (q: unknown, b: unknown) => JSON.stringify({ query: q, body: b }, replacer),
  'ref2: replacer, keys cached': (q: unknown, b: unknown) => JSON.stringify({ query: q, body: b }, cachedReplacer),
};

let sink = 0;
/** Best CPU µs per call of `fn` over ROUNDS rounds of `n` calls. */
function cpuPerCall(fn: () => unknown, n: number): number {
  let best = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      const out = fn();
      sink += typeof out === 'string' ? out.length : 1;
    }
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / n);
  }
  return best;
}

console.log(`audit payload, CPU µs per row (best of ${ROUNDS} rounds of ${ITERATIONS})`);
for (const [name, { query, body }] of Object.entries(inputs)) {
  const expected = variants['old: maskSecrets + stringify'](query, body);
  if (variants['new: maskSecretsShared + stringify'](query, body) !== expected) throw new Error(`${name}: the new payload differs from the old`);
  const row = Object.entries(variants).map(([label, fn]) => `${label} ${cpuPerCall(() => fn(query, body), ITERATIONS).toFixed(2)}`);
  console.log(`  ${name} (${expected.length} bytes): ${row.join(' | ')}`);
}

// The writer hand-off: 200 rows of the audit's 11 columns, payload at index 8.
const BATCH = 200;
const payloadText = variants['old: maskSecrets + stringify'](inputs['session update'].query, inputs['session update'].body);
const rows = Array.from({ length: BATCH }, (_, i) => [7, 'session_update', 'POST', `/api/voice/session/update/${domain}?token=********`, token, 'ok', 200, null, payloadText, 3, 1_765_000_000_000 + i]);
const PAYLOAD_AT = 8;
const batches = Math.max(1, Math.round(ITERATIONS / BATCH));

const oldHandoff = () => {
  const text = JSON.stringify({ sql: 1, rows });
  return (JSON.parse(text) as { rows: unknown[][] }).rows.length;
};
const newHandoff = () => {
  const texts: unknown[] = [];
  const bare = rows.map((r) => {
    texts.push(r[PAYLOAD_AT]);
    const copy = r.slice();
    copy[PAYLOAD_AT] = null;
    return copy;
  });
  const text = JSON.stringify({ sql: 1, rows: bare, textAt: PAYLOAD_AT });
  const cloned = deserialize(serialize(texts)) as unknown[];
  const job = JSON.parse(text) as { rows: unknown[][] };
  job.rows.forEach((r, i) => (r[PAYLOAD_AT] = cloned[i]));
  return job.rows.length;
};
console.log(`writer hand-off of ${BATCH} rows (${payloadText.length}-byte payloads), CPU µs per row, both threads' share:`);
console.log(`  old: one JSON text ${(cpuPerCall(oldHandoff, batches) / BATCH).toFixed(2)} | new: payloads beside it ${(cpuPerCall(newHandoff, batches) / BATCH).toFixed(2)}`);
if (sink === 0) console.log('');
