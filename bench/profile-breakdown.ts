/**
 * Where the service's CPU goes, from the V8 CPU profiles `BENCH_PROFILE=<dir>` writes
 * (one file per thread of each service run): every sample's time goes to the innermost
 * frame on its stack that says what the work is for (the commit, the call row, the audit
 * row, …), else to the innermost frame that says which layer ran it (SQL driver, HTTP,
 * plane, …). Threads are told apart by their frames: the main thread runs dist/, the
 * writer thread better-sqlite3's transactions, the checkpointer its pragma.
 *
 *   npx tsx bench/profile-breakdown.ts <dir or .cpuprofile files> [--calls N] [--top N]
 *
 * With --calls (the routed calls the run made: bench/webhook prints the records
 * created) each category is also shown in µs per call; --top lists the main thread's
 * functions with the most self time among the `other…` categories. A profile cannot split the
 * writer thread's one job of a call row and its timeline rows, nor a native statement's
 * time inside it: that category holds both.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './support/processes.js';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

type Rule = [category: string, test: (f: CallFrame) => boolean];
/** Work done once per service run, not per call: left out of the per-call figures. */
const SETUP = 'start-up (module loading, migrations, password checks at set-up)';
const HASHING = 'other threads (password hashing at set-up)';
const url = (re: RegExp) => (f: CallFrame) => re.test(f.url);
const fn = (re: RegExp) => (f: CallFrame) => re.test(f.functionName);

/** Lines (0-based, as the profile counts them) of the writer thread's eval'd source where each job starts. */
function writerJobLines(): Map<number, string> {
  const text = readFileSync(join(ROOT, 'src/store/sqlite-writer.ts'), 'utf8').split('\n');
  const start = text.findIndex((l) => l.startsWith('const WORKER_SOURCE = `'));
  const lines = new Map<number, string>();
  text.forEach((l, i) => {
    const job = /^\s*(rows|families|statements):/.exec(l)?.[1];
    if (job === 'rows') lines.set(i - start, 'audit row');
    if (job === 'families') lines.set(i - start, 'call row + timeline rows');
    if (job === 'statements') lines.set(i - start, 'roll-ups');
    if (l.startsWith("parentPort.on('message'")) lines.set(i - start, 'writer handoff');
  });
  return lines;
}
const JOBS = writerJobLines();
const evaluated = (f: CallFrame) => !f.url.startsWith('file:') && !f.url.startsWith('node:') && f.lineNumber >= 0;

/** What the work is for, innermost match wins. */
const PURPOSE: Rule[] = [
  [SETUP, url(/^node:internal\/modules\/|store\/migrat|\/cli\/(main|serve|runtime)\.js|zxcvbn/)],
  ['writer job', (f) => evaluated(f) && JOBS.has(f.lineNumber)],
  ['commit/WAL', (f) => /sqlite-checkpointer|group-commit|better-sqlite3\/lib\/methods\/transaction\.js/.test(f.url) || /^(commit|commitTransaction|checkpoint)/i.test(f.functionName)],
  ['audit row', url(/webhook-audit|audit-log|core\/mask\.js/)],
  ['writer handoff', url(/store\/sqlite-writer\.js/)],
  ['roll-ups', url(/analytics\/rollups|store\/call-rollups|time\/local-day/)],
  ['call row + timeline rows', url(/store\/(call-records|routed-calls|call-record-batch|call-events|json-column|bulk-statements)|routing\/(call-recorder|call-rows|deferred-writes|stored-facts|call-life)|core\/lifecycle\//)],
  ['realtime', url(/services\/realtime\//)],
  ['metrics', url(/call-metrics|live-call-gauges|prom-client/)],
  ['routing decision', url(/services\/routing\/|distribution-service|routing-config|pool-slots|split-arms|returning-callers|agent-health|core\/routing/)],
];
/**
 * Which layer ran it, when no purpose matched: the innermost library or application frame
 * (so a socket write made by the PostgreSQL driver is the driver's, not HTTP's), else the
 * innermost Node frame.
 */
const LAYER: Rule[] = [
  ['GC', fn(/^\(garbage collector\)$/)],
  ['plane', url(/\/plane\//)],
  ['SQL driver and query building (Kysely, better-sqlite3, pg, mysql2)', url(/node_modules\/(kysely|better-sqlite3|pg|pg-protocol|pg-pool|mysql2)\//)],
  ['Redis client', url(/node_modules\/(ioredis|@ioredis|redis-parser|bullmq)\//)],
  ['HTTP (Fastify, node:http)', url(/node_modules\/(fastify|@fastify|find-my-way|avvio|fast-json-stringify|secure-json-parse|light-my-request|toad-cache)\//)],
  ['logging (pino)', url(/node_modules\/(pino|sonic-boom|thread-stream)/)],
  ['webhook intake (dist/http: body, secret, context; zod)', url(/\/dist\/http\/|node_modules\/zod\//)],
  ['other application code', url(/\/dist\//)],
];
const NODE: Rule[] = [
  ['HTTP (Fastify, node:http)', url(/^node:(_http|http)/)],
  ['sockets and streams (node:net, node:stream)', url(/^node:(net|internal\/(stream|streams|net))/)],
  ['other Node internals', url(/^node:/)],
  ['(program): native and VM work outside JS', fn(/^\(program\)$/)],
];

function categorize(nodes: Map<number, ProfileNode>, parents: Map<number, number>, id: number, threadKind: string): string {
  if (threadKind === 'checkpointer') return 'commit/WAL';
  if (threadKind === 'other worker') return HASHING;
  const frames: CallFrame[] = [];
  for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) frames.push(nodes.get(at)!.callFrame);
  for (const f of frames) {
    for (const [category, test] of PURPOSE) {
      if (!test(f)) continue;
      if (category !== 'writer job') return category;
      if (threadKind === 'writer') return JOBS.get(f.lineNumber)!;
    }
  }
  for (const rules of [LAYER, NODE]) for (const f of frames) for (const [category, test] of rules) if (test(f)) return category;
  if (threadKind === 'writer') return 'writer handoff'; // the thread's own loop: receiving, JSON, replying
  return 'other';
}

function threadKindOf(p: Profile): string {
  const urls = p.nodes.map((n) => n.callFrame.url);
  if (urls.some((u) => u.includes('/dist/'))) return 'main';
  if (urls.some((u) => u.endsWith('better-sqlite3/lib/methods/transaction.js'))) return 'writer';
  if (urls.some((u) => u.endsWith('better-sqlite3/lib/methods/pragma.js'))) return 'checkpointer';
  return 'other worker';
}

/** Microseconds of each category in one profile, idle left out. */
/** Self time of the functions whose samples fell in `other…` categories, to see what the patterns miss. */
const unplaced = new Map<string, number>();

function breakdown(p: Profile, threadKind: string): Map<string, number> {
  const nodes = new Map(p.nodes.map((n) => [n.id, n]));
  const parents = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parents.set(c, n.id);
  const cache = new Map<number, string>();
  const out = new Map<string, number>();
  p.samples.forEach((id, i) => {
    if (nodes.get(id)?.callFrame.functionName === '(idle)') return;
    let category = cache.get(id);
    if (category === undefined) cache.set(id, (category = categorize(nodes, parents, id, threadKind)));
    out.set(category, (out.get(category) ?? 0) + (p.timeDeltas[i] ?? 0));
    if (category.startsWith('other') && threadKind === 'main') {
      const f = nodes.get(id)!.callFrame;
      const name = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*?\/(node_modules|dist)\//, '$1/')}:${f.lineNumber + 1}`;
      unplaced.set(name, (unplaced.get(name) ?? 0) + (p.timeDeltas[i] ?? 0));
    }
  });
  return out;
}

function profileFiles(args: string[]): string[] {
  return args.flatMap((a) => (statSync(a).isDirectory() ? readdirSync(a).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(a, f)) : [a]));
}

function main(): void {
  const args = process.argv.slice(2);
  const callsAt = args.indexOf('--calls');
  const calls = callsAt >= 0 ? Number(args.splice(callsAt, 2)[1]) : null;
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 0;
  if (args.length === 0) throw new Error('usage: npx tsx bench/profile-breakdown.ts <dir or .cpuprofile files> [--calls N] [--top N]');
  // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: one service run per pid.
  const byPid = new Map<string, string[]>();
  for (const file of profileFiles(args)) {
    const pid = /CPU\.\d+\.\d+\.(\d+)\./.exec(file)?.[1] ?? file;
    byPid.set(pid, [...(byPid.get(pid) ?? []), file]);
  }
  for (const [pid, files] of byPid) {
    const total = new Map<string, number>();
    const threads: string[] = [];
    for (const file of files.sort()) {
      const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
      const kind = threadKindOf(p);
      const part = breakdown(p, kind);
      const sum = [...part.values()].reduce((a, b) => a + b, 0);
      threads.push(`${kind} ${(sum / 1000).toFixed(0)} ms`);
      for (const [k, us] of part) total.set(k, (total.get(k) ?? 0) + us);
    }
    const all = [...total.values()].reduce((a, b) => a + b, 0);
    console.log(`\nservice process ${pid}: ${(all / 1000).toFixed(0)} ms of CPU sampled (${threads.join(', ')})${calls ? `, ${calls} calls` : ''}`);
    const setUp = (k: string) => k === SETUP || k === HASHING;
    const running = all - (total.get(SETUP) ?? 0) - (total.get(HASHING) ?? 0);
    console.log(`| category | ms | share of all | share of the calls' CPU (set-up left out) |${calls ? ' µs per call |' : ''}`);
    console.log(`|---|---:|---:|---:|${calls ? '---:|' : ''}`);
    const perCall = (k: string, us: number) => (setUp(k) ? '–' : (us / calls!).toFixed(1));
    for (const [k, us] of [...total.entries()].sort((a, b) => b[1] - a[1])) {
      const share = setUp(k) ? '–' : `${((us / running) * 100).toFixed(1)}%`;
      console.log(`| ${k} | ${(us / 1000).toFixed(0)} | ${((us / all) * 100).toFixed(1)}% | ${share} |${calls ? ` ${perCall(k, us)} |` : ''}`);
    }
    console.log(`| **all but the set-up** | ${(running / 1000).toFixed(0)} | ${((running / all) * 100).toFixed(1)}% | 100% |${calls ? ` **${(running / calls).toFixed(1)}** |` : ''}`);
  }
  if (top > 0) {
    console.log(`\nmain thread, \`other…\` categories, most self time:`);
    for (const [name, us] of [...unplaced.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}`);
  }
}

main();
