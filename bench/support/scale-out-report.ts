import { cpus, loadavg } from 'node:os';
import type { CallLoadResult } from './call-load.js';
import type { DashboardStats } from './dashboards.js';
import { inAny, summarize, type ExchangeLog, type LatencySummary, type Window } from './exchange-log.js';
import type { ProxyStats } from './ready-proxy.js';
import type { RecordCheck } from './record-check.js';
import type { StopResult } from './serve-instances.js';

/** What bench/scale-out.ts gathered, and how it is printed and judged. */
export interface Restart {
  name: string;
  /** What it was stopped with. */
  signal: NodeJS.Signals;
  exit: StopResult;
  /** SIGTERM to exit, and SIGTERM to passing the health check again. */
  exitMs: number;
  downMs: number;
  ready: boolean;
}

export interface ScaleOutReport {
  seconds: number;
  played: CallLoadResult;
  exchanges: ExchangeLog;
  windows: Window[];
  restarts: Restart[];
  records: RecordCheck;
  dashboards: DashboardStats;
  proxy: { stats: ProxyStats; upstreams: { name: string; answered: number; sockets: number }[] };
  /** `vapi +1212…` (the CXML's label) → agent id. */
  agentNumbers: Map<string, number>;
  cpu: { instances: number[]; client: number; wall: number };
  problems: { name: string; lines: Map<string, number> }[];
}

/** 503 to a session update or CDR is documented retryable (README "When the database is away"). */
const retryable = (key: string) => /^(session|cdr) 503$/.test(key);
const pct = (part: number, whole: number) => (whole > 0 ? (100 * part) / whole : 0);
const f1 = (n: number) => n.toFixed(1);

/** Each key's share and the largest deviation from an equal share, relative to that share (%). */
export function fairness(counts: ReadonlyMap<string | number, number>, members: number): { total: number; shares: string; maxDeviationPct: number } {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const equal = total / members;
  const values = [...counts.values()];
  while (values.length < members) values.push(0);
  const maxDeviationPct = equal > 0 ? Math.max(...values.map((v) => (100 * Math.abs(v - equal)) / equal)) : 0;
  const shares = [...counts.entries()].map(([k, v]) => `${k}: ${v} (${f1(pct(v, total))}%)`).join(', ');
  return { total, shares, maxDeviationPct };
}

function countBy(values: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

function latencyLine(label: string, s: LatencySummary): string {
  return `  ${label.padEnd(34)} ${String(s.count).padStart(7)}   p50 ${f1(s.p50).padStart(6)} ms   p99 ${f1(s.p99).padStart(7)} ms   max ${f1(s.max).padStart(7)} ms`;
}

function firstLegs(r: ScaleOutReport): Map<string, number> {
  const m = new Map<string, number>();
  for (const c of r.played.calls) if (c.firstLeg) m.set(c.firstLeg, (m.get(c.firstLeg) ?? 0) + 1);
  return m;
}

export function printReport(r: ScaleOutReport, log: (line: string) => void): void {
  const ex = r.exchanges.exchanges;
  const calls = r.played.calls;
  log('');
  log(`== Scale-out: 3 instances, PostgreSQL + Redis, rolling restart — ${f1(r.seconds)} s of load; ${cpus().length} CPUs, load average ${loadavg().map(f1).join(' ')}`);
  const acked = calls.filter((c) => c.voiceAcked);
  log(`calls played ${calls.length} (voice answered with CXML ${acked.length}, of which dialled an agent ${acked.filter((c) => c.firstLeg).length} and the fallback ${acked.filter((c) => !c.firstLeg).length}; CDR acknowledged ${calls.filter((c) => c.cdrAcked).length})`);
  const byRoute = new Map<string, number>();
  for (const e of ex) if (e.status !== 0) byRoute.set(e.route, (byRoute.get(e.route) ?? 0) + 1);
  log(`requests answered ${ex.filter((e) => e.status !== 0).length} of ${ex.length}: ${[...byRoute].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  const failures = r.exchanges.failuresByRoute();
  log(`5xx / no answer by route: ${failures.size === 0 ? 'none' : [...failures].map(([k, v]) => `${k}: ${v}${retryable(k) ? ' (retryable)' : ''}`).join(', ')}`);
  log(`retried as Cloudonix would: after 503 ${r.played.retried503}, after anything else ${r.played.retriedOther}; gave up ${calls.reduce((a, c) => a + c.gaveUp, 0)}`);
  log(`voice and callback answers that were not CXML: ${calls.reduce((a, c) => a + c.notCxml, 0)}`);
  const rc = r.records;
  log(`records: calls ${rc.callsFound}/${rc.callsExpected} (duplicated ${rc.callsDuplicated}; with the decision the caller was given ${rc.decisionsFound}/${rc.decisionsExpected}); CDRs once ${rc.cdrsFoundOnce}/${rc.cdrsExpected} (duplicated ${rc.cdrsDuplicated}, calls not closed ${rc.notClosed}); session updates ${rc.updatesFound}/${rc.updatesExpected}; rotation counters used twice ${rc.rotationCountersReused}`);
  if (rc.sampleMissing.length > 0) log(`  missing, e.g.: ${rc.sampleMissing.join('; ')}`);

  const members = r.agentNumbers.size;
  const fromAnswers = fairness(firstLegs(r), members);
  const fromRecords = fairness(rc.agentsInRecords, members);
  log(`rotation (round robin over ${members} agents, first leg of each call): ${fromAnswers.shares} — max deviation ${fromAnswers.maxDeviationPct.toFixed(2)}% of an equal share`);
  log(`  from the database's decision traces: ${fromRecords.shares} — max deviation ${fromRecords.maxDeviationPct.toFixed(2)}%`);
  const perInstance = new Map<string, Map<string, number>>();
  for (const c of calls) {
    if (!c.firstLeg || !c.voiceUpstream) continue;
    const m = perInstance.get(c.voiceUpstream) ?? new Map<string, number>();
    m.set(c.firstLeg, (m.get(c.firstLeg) ?? 0) + 1);
    perInstance.set(c.voiceUpstream, m);
  }
  for (const [name, m] of [...perInstance].sort()) log(`  decided by ${name}: ${[...m].sort().map(([k, v]) => `${k.split(' ')[1]} ${v}`).join(', ')}`);
  const up = r.exchanges.byUpstream();
  const upTotal = [...up.values()].reduce((a, b) => a + b, 0);
  log(`instances' share of requests: ${[...up].sort().map(([k, v]) => `${k} ${f1(pct(v, upTotal))}%`).join(', ')}; websockets ${r.proxy.upstreams.map((u) => `${u.name} ${u.sockets}`).join(', ')}`);

  log('latency through the proxy (client side, each exchange):');
  const all = (pred: (at: number, route: string) => boolean) => summarize(ex.filter((e) => e.status !== 0 && pred(e.at, e.route)).map((e) => e.ms));
  const restart = (at: number) => inAny(at, r.windows);
  log(latencyLine('all requests', all(() => true)));
  log(latencyLine('  steady state', all((at) => !restart(at))));
  log(latencyLine('  restart windows', all((at) => restart(at))));
  log(latencyLine('voice requests, steady state', all((at, route) => route === 'voice' && !restart(at))));
  log(latencyLine('voice requests, restart windows', all((at, route) => route === 'voice' && restart(at))));
  log(latencyLine('admin reads, steady state', all((at, route) => route.startsWith('admin') && !restart(at))));
  log(latencyLine('admin reads, restart windows', all((at, route) => route.startsWith('admin') && restart(at))));

  log('restarts:');
  for (const x of r.restarts) {
    log(`  ${x.name}: exit ${x.exit.code ?? x.exit.signal}${x.exit.forced ? ' (killed after the grace period)' : ''} ${x.exitMs} ms after SIGTERM; healthy again ${x.downMs} ms after SIGTERM${x.ready ? '' : ' (NOT healthy within 30 s)'}`);
  }
  const d = r.dashboards;
  log(`dashboards: ${d.clients} on /ws, ${d.ready} opens, ${d.reconnects} reconnects, close codes ${JSON.stringify(d.closeCodes)}, failed opens ${d.failedOpens}, events ${d.events}, replayed ${d.replayed}, resyncs ${d.resyncs}, ids going back ${d.idsBackwards}`);
  const p = r.proxy.stats;
  const retriesIn = p.retryLog.filter((x) => inAny(x.at, r.windows)).length;
  log(`proxy: retries ${JSON.stringify(p.retries)} (${retriesIn} in restart windows, ${p.retryLog.filter((x) => !x.markedHealthy).length} to an instance its health check had marked down by then; to ${[...countBy(p.retryLog.map((x) => x.upstream))].map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}), 502/504 ${p.badGateway}, answers cut ${p.cutMidAnswer}, health changes ${p.healthChanges}, health checks timed out ${p.failedChecks}`);
  const c = r.cpu;
  const instCpu = c.instances.reduce((a, b) => a + b, 0);
  log(`CPU (/proc): instances ${c.instances.map(f1).join(' + ')} = ${f1(instCpu)} s (${(instCpu / c.wall).toFixed(2)} cores); client + proxy ${f1(c.client)} s (${(c.client / c.wall).toFixed(2)} cores); over ${f1(c.wall)} s`);
  for (const p of r.problems) {
    if (p.lines.size > 0) log(`  ${p.name} warned/errored: ${[...p.lines].map(([m, n]) => `${n}× ${m.slice(0, 140)}`).join(' | ')}`);
  }
}

export function judge(r: ScaleOutReport): { ok: boolean; lines: string[] } {
  const rc = r.records;
  const lost = rc.callsExpected - rc.callsFound + (rc.decisionsExpected - rc.decisionsFound) + (rc.cdrsExpected - rc.cdrsFoundOnce) + (rc.updatesExpected - rc.updatesFound) + rc.notClosed;
  const unexpected = [...r.exchanges.failuresByRoute()].filter(([k]) => !retryable(k)).reduce((a, [, n]) => a + n, 0);
  const gaveUp = r.played.calls.reduce((a, c) => a + c.gaveUp, 0);
  const notCxml = r.played.calls.reduce((a, c) => a + c.notCxml, 0);
  const twice = rc.callsDuplicated + rc.cdrsDuplicated + rc.rotationCountersReused;
  const fair = fairness(firstLegs(r), r.agentNumbers.size).maxDeviationPct;
  const checks: [string, boolean][] = [
    [`lost records 0 (found ${lost})`, lost === 0],
    [`records stored twice or decisions taken twice 0 (found ${twice})`, twice === 0],
    [`5xx other than retryable 503s 0 (found ${unexpected}), none given up (${gaveUp})`, unexpected === 0 && gaveUp === 0],
    [`voice answers not CXML 0 (found ${notCxml})`, notCxml === 0],
    [`agents' share within 1% of equal (max deviation ${fair.toFixed(2)}%)`, fair <= 1],
    [`every instance healthy again after its restart`, r.restarts.length === 3 && r.restarts.every((x) => x.ready)],
    [`every instance sent SIGTERM exited 0 by itself`, r.restarts.every((x) => x.signal !== 'SIGTERM' || (x.exit.code === 0 && !x.exit.forced))],
  ];
  return { ok: checks.every(([, ok]) => ok), lines: ['acceptance:', ...checks.map(([text, ok]) => `  ${ok ? 'PASS' : 'FAIL'} ${text}`)] };
}
