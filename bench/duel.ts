/**
 * Two builds of the service under the same load at the same time: this checkout against
 * another (a `git worktree` of the commit to compare with). Each runs embedded (SQLite +
 * memory plane) in its own process with its own tenant, and each gets voice-application
 * requests at the same fixed rate from its own load generator, in the same seconds. The
 * figure is build B's CPU per routed call ÷ build A's, per round and its median.
 *
 * Why not two runs of bench/webhook: on this shared host the bare server's CPU per request
 * moved 31 → 58 µs between rounds minutes apart, so a 5% change in the service is lost in
 * run-to-run drift. Loaded side by side, both builds meet the same drift. A fixed rate (not
 * "as fast as it answers") keeps the group commit's batching the same for both, since CPU per
 * call depends on how many calls share a commit.
 *
 *   BENCH_AGAINST=/tmp/old-worktree npx tsx bench/duel.ts
 *
 * A is BENCH_AGAINST (the baseline), B this checkout; both are built with `npm run build:server`.
 * Env: BENCH_AGAINST (required), BENCH_RATE (requests per second to each, 500),
 * BENCH_SECONDS (10 per round), BENCH_ROUNDS (5), BENCH_CONNECTIONS (25 per build),
 * BENCH_B_NODE_ARGS (node options for B only, space-separated: a runtime flag against none, with
 * BENCH_AGAINST naming this same checkout).
 */
import autocannon from 'autocannon';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { voiceLoadOptions } from './support/load.js';
import { buildServer, cpuSeconds, ROOT, startService, type ServerProcess } from './support/processes.js';
import { createBenchTenant, type BenchTenant } from './support/tenant-setup.js';
import { loadAverage, log, median } from './support/webhook-report.js';

const AGAINST = process.env.BENCH_AGAINST;
const RATE = Number(process.env.BENCH_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 25);
const B_NODE_ARGS = (process.env.BENCH_B_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');

interface Side {
  label: string;
  server: ServerProcess;
  tenant: BenchTenant;
  dataDir: string;
}

interface Load {
  cpuUs: number;
  ok: number;
  other: number;
  p99: number;
}

async function startSide(label: string, root: string, nodeArgs: readonly string[] = []): Promise<Side> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vlb-bench-duel-'));
  const server = await startService(label, { DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, nodeArgs, root);
  return { label, server, tenant: await createBenchTenant(server.base), dataDir };
}

async function load(side: Side, seconds: number): Promise<Load> {
  const spec = { domain: side.tenant.domain, secret: side.tenant.secret, seconds, connections: CONNECTIONS, rate: RATE };
  const cpu0 = cpuSeconds(side.server.pid);
  const r = await autocannon(voiceLoadOptions(side.server, spec, seconds));
  const cpu = cpuSeconds(side.server.pid) - cpu0;
  const all = r['1xx'] + r['2xx'] + r['3xx'] + r['4xx'] + r['5xx'];
  return { cpuUs: all > 0 ? (cpu * 1e6) / all : 0, ok: r['2xx'], other: all - r['2xx'] + r.errors, p99: r.latency.p99 };
}

async function main(): Promise<void> {
  if (!AGAINST) throw new Error('BENCH_AGAINST=<another checkout of this repository> names build A, the baseline');
  const againstRoot = resolve(AGAINST);
  log(`duel: ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores; A ${againstRoot}, B ${ROOT} ${B_NODE_ARGS.join(' ')}`);
  log(`${RATE} voice requests/s to each, ${CONNECTIONS} connections each, ${ROUNDS} rounds of ${SECONDS} s; load average ${loadAverage()}`);
  buildServer(againstRoot);
  buildServer();
  const a = await startSide('A', againstRoot);
  const b = await startSide('B', ROOT, B_NODE_ARGS);
  try {
    // Warm-up (JIT, caches) at the same rate, unmeasured.
    await Promise.all([load(a, 3), load(b, 3)]);
    const ratios: number[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      const [la, lb] = await Promise.all([load(a, SECONDS), load(b, SECONDS)]);
      const ratio = lb.cpuUs / la.cpuUs;
      ratios.push(ratio);
      log(
        `  round ${round}: A ${la.cpuUs.toFixed(0)} µs/call (${la.ok} ok, ${la.other} other, p99 ${la.p99} ms), ` +
          `B ${lb.cpuUs.toFixed(0)} µs/call (${lb.ok} ok, ${lb.other} other, p99 ${lb.p99} ms): B ÷ A ${ratio.toFixed(3)}; load average ${loadAverage()}`,
      );
    }
    const sorted = [...ratios].sort((x, y) => x - y);
    log(`B ÷ A, CPU per routed call: median ${median(ratios).toFixed(3)} (range ${sorted[0]!.toFixed(3)}–${sorted[sorted.length - 1]!.toFixed(3)})`);
    for (const side of [a, b]) {
      const problems = side.server.problems();
      if (problems.count > 0) log(`${side.label} logged ${problems.count} warnings/errors; the first: ${problems.first}`);
    }
  } finally {
    for (const side of [a, b]) {
      await side.server.stop();
      rmSync(side.dataDir, { recursive: true, force: true });
    }
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
