import { loadavg } from 'node:os';
import type { Measured, Serial } from './load.js';

/** One mode's rounds: the bare server, the Fastify floor and the service, alternating. */
export interface Section {
  mode: string;
  /** The issue's ceiling for (service + database + Redis CPU per call) ÷ (bare CPU per request). */
  cpuTarget: number;
  /** Each round's CPU ratio, and their median. */
  cpuRatios: number[];
  cpuRatio: number;
  /** Median of the rounds' service/bare throughput ratios, and each round's. */
  ratio: number;
  ratios: number[];
  /** Median of the rounds' service/bare p99 ratios. */
  p99Ratio: number;
  /** Median of the rounds' Fastify-floor/bare ratios: what a framework that does nothing else keeps. */
  floorRatio: number;
  bare: Measured;
  floor: Measured;
  service: Measured;
  extra: Measured[];
  serial: { bare: Serial; service: Serial };
  records: { created: number; expected: number; perAgent: string };
}

export const log = (line: string) => console.log(line);

export const loadAverage = () => loadavg().map((l) => l.toFixed(2)).join(' ');

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The round with the median throughput, as the one shown in the summary table. */
export function medianRun(runs: readonly Measured[]): Measured {
  const sorted = [...runs].sort((a, b) => a.rps - b.rps);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** All the CPU a call costs: the service's (all threads) plus the database's and Redis's when measured. */
export const callCpuUs = (m: Measured) => m.serverCpuUs + (m.backingCpuUs ?? 0);

export function show(m: Measured): void {
  log(
    `  ${m.name.padEnd(24)} ${m.rps.toFixed(0).padStart(6)} req/s  p50 ${m.p50.toFixed(1)} ms  p99 ${m.p99.toFixed(1)} ms  ` +
      `server ${m.serverCpuUs.toFixed(0)} µs CPU/req (${m.serverCores.toFixed(2)} cores)  client ${m.clientCores.toFixed(2)} cores` +
      `${m.backingCpuUs === null ? '' : `  database+Redis ${m.backingCpuUs.toFixed(0)} µs CPU/req`}  non-2xx ${m.non2xx}  errors ${m.errors}`,
  );
}

export function showSerial(name: string, s: Serial): void {
  log(`  ${name.padEnd(24)} one at a time: p50 ${s.p50.toFixed(2)} ms  p99 ${s.p99.toFixed(2)} ms  server ${s.serverCpuUs.toFixed(0)} µs CPU/req`);
}

const x = (r: number) => `×${r.toFixed(1)}`;

export function summary(sections: readonly Section[]): void {
  log('\n| mode | server | req/s | p50 ms | p99 ms | server CPU µs/req | database+Redis CPU µs/req | server cores | client cores | serial p50 ms |');
  log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const s of sections) {
    const serial = new Map([[s.bare.name, s.serial.bare.p50], [s.service.name, s.serial.service.p50]]);
    for (const m of [s.bare, s.floor, s.service, ...s.extra]) {
      const sp = serial.get(m.name);
      log(
        `| ${s.mode} | ${m.name} | ${m.rps.toFixed(0)} | ${m.p50.toFixed(1)} | ${m.p99.toFixed(1)} | ${m.serverCpuUs.toFixed(0)} | ` +
          `${m.backingCpuUs === null ? '–' : m.backingCpuUs.toFixed(0)} | ${m.serverCores.toFixed(2)} | ${m.clientCores.toFixed(2)} | ${sp === undefined ? '–' : sp.toFixed(2)} |`,
      );
    }
  }
  log('\nIssue 23 targets: CPU per fully recorded routed call ÷ the bare server\'s CPU per request (median of the rounds).');
  log('| mode | CPU per call ÷ bare (rounds) | target | result | throughput % of bare (rounds) | p99 ÷ bare | Fastify floor CPU ÷ bare |');
  log('|---|---:|---:|---|---:|---:|---:|');
  for (const s of sections) {
    const pass = s.cpuRatio <= s.cpuTarget;
    log(
      `| ${s.mode} | **${x(s.cpuRatio)}** (${s.cpuRatios.map((r) => r.toFixed(1)).join(', ')}) | ≤ ×${s.cpuTarget} | ${pass ? 'pass' : 'FAIL'} | ` +
        `${(s.ratio * 100).toFixed(1)}% (${s.ratios.map((r) => (r * 100).toFixed(1)).join(', ')}) | ${x(s.p99Ratio)} | ${x(s.floor.serverCpuUs / Math.max(s.bare.serverCpuUs, 0.001))} |`,
    );
  }
  for (const s of sections) {
    for (const e of s.extra) {
      log(`${s.mode}: ${e.name}: ${((e.rps / s.service.rps) * 100).toFixed(1)}% of the warn-level throughput, CPU/request ×${(callCpuUs(e) / callCpuUs(s.service)).toFixed(2)}`);
    }
  }
  log(`load average at the end: ${loadAverage()}`);
}
