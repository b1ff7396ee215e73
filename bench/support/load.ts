import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import { newCall, voiceRequest } from '../../src/cli/simulate-payloads.js';
import { recordPerfOnce } from './perf-record.js';
import { cpuByPid, cpuGrowth, cpuSeconds, type ServerProcess } from './processes.js';

export interface LoadSpec {
  domain: string;
  secret: string;
  seconds: number;
  connections: number;
  /** Requests per second across all connections; unset: as fast as the server answers. */
  rate?: number | undefined;
}

export interface Measured {
  name: string;
  /** Responses received (any status). */
  requests: number;
  ok: number;
  /** 2xx answers including the warm-up: each should have created one call record. */
  okWithWarmup: number;
  non2xx: number;
  errors: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  /** Server user+system CPU time per request, microseconds. */
  serverCpuUs: number;
  /** Server CPU use over the run, in cores (1.0 = one core busy all the time). */
  serverCores: number;
  /** This process's (autocannon's) CPU use over the run, in cores. */
  clientCores: number;
  /** CPU per request of the backing servers (database, Redis) when given, microseconds; they may serve others too. */
  backingCpuUs: number | null;
}

/**
 * Voice-application POSTs with a new session in every body, so the service routes
 * each one afresh (an idempotent repeat would be answered from its cache).
 */
export function voiceLoadOptions(server: ServerProcess, spec: LoadSpec, seconds: number): autocannon.Options {
  const path = `/api/voice/application/${encodeURIComponent(spec.domain)}`;
  return {
    url: server.base,
    connections: spec.connections,
    duration: seconds,
    ...(spec.rate ? { overallRate: spec.rate } : {}),
    requests: [
      {
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${spec.secret}` },
        setupRequest: (req) => ({ ...req, body: JSON.stringify(voiceRequest(newCall(spec.domain, '+14155550123', '+12125550187'))) }),
      },
    ],
  };
}

/** The backing servers' pids, or a function listing them afresh (database backends come and go with connections). */
export type Backing = readonly number[] | (() => number[]);

/** A short unmeasured run first (JIT, connection pools), then the measured one. */
export async function measure(server: ServerProcess, spec: LoadSpec, backing: Backing = [], warmupSeconds = 2): Promise<Measured> {
  const warmup = warmupSeconds > 0 ? (await autocannon(voiceLoadOptions(server, spec, warmupSeconds)))['2xx'] : 0;
  const backingPids = typeof backing === 'function' ? backing : () => [...backing];
  const hasBacking = backingPids().length > 0;
  const cpuBefore = cpuSeconds(server.pid);
  const backingBefore = cpuByPid(backingPids());
  const clientBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const perf = recordPerfOnce(server.name, server.pid, spec.seconds - 1);
  const r = await autocannon(voiceLoadOptions(server, spec, spec.seconds));
  await perf;
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const serverCpu = cpuSeconds(server.pid) - cpuBefore;
  const backingCpu = cpuGrowth(backingBefore, backingPids());
  const client = process.cpuUsage(clientBefore);
  const requests = r['1xx'] + r['2xx'] + r['3xx'] + r['4xx'] + r['5xx'];
  return {
    name: server.name,
    requests,
    ok: r['2xx'],
    okWithWarmup: warmup + r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    rps: requests / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    serverCpuUs: requests > 0 ? (serverCpu * 1e6) / requests : 0,
    serverCores: serverCpu / wall,
    clientCores: (client.user + client.system) / 1e6 / wall,
    backingCpuUs: hasBacking && requests > 0 ? (backingCpu * 1e6) / requests : null,
  };
}

export interface Serial {
  count: number;
  p50: number;
  p99: number;
  serverCpuUs: number;
}

/** One request at a time: the latency of the hot path itself, without queueing behind other requests. */
export async function measureSerial(server: ServerProcess, spec: LoadSpec, count = 300): Promise<Serial> {
  const url = `${server.base}/api/voice/application/${encodeURIComponent(spec.domain)}`;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${spec.secret}` };
  const one = async () => {
    const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(voiceRequest(newCall(spec.domain, '+14155550123', '+12125550187'))) });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`serial probe: ${res.status}`);
  };
  for (let i = 0; i < 20; i += 1) await one();
  const times: number[] = [];
  const cpuBefore = cpuSeconds(server.pid);
  for (let i = 0; i < count; i += 1) {
    const t0 = performance.now();
    await one();
    times.push(performance.now() - t0);
  }
  const serverCpu = cpuSeconds(server.pid) - cpuBefore;
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)] ?? 0;
  return { count: count + 20, p50: at(50), p99: at(99), serverCpuUs: (serverCpu * 1e6) / count };
}

/** Sends one real voice request and returns the answer's exact bytes and content type. */
export async function captureAnswer(base: string, spec: LoadSpec): Promise<{ body: string; contentType: string }> {
  const res = await fetch(`${base}/api/voice/application/${encodeURIComponent(spec.domain)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${spec.secret}` },
    body: JSON.stringify(voiceRequest(newCall(spec.domain, '+14155550123', '+12125550187'))),
  });
  const body = await res.text();
  if (res.status !== 200 || !body.includes('<Service')) throw new Error(`the service did not route the sample call: ${res.status} ${body.slice(0, 300)}`);
  return { body, contentType: res.headers.get('content-type') ?? 'application/xml' };
}
