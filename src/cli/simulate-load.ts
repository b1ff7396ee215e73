import { performance } from 'node:perf_hooks';
import { describeCxml, readCxml } from './simulate-cxml.js';
import { ok, send, webhookUrl, type Target, type WireMethod } from './simulate-http.js';
import { newCall, voiceRequest } from './simulate-payloads.js';

export interface LoadOptions {
  target: Target;
  calls: number;
  concurrency: number;
  method: WireMethod;
  from: string;
  to: string;
  print: (line: string) => void;
}

export interface LoadResult {
  count: number;
  errors: number;
  seconds: number;
  /** Client-side latency of each successful or failed request, in ms, sorted. */
  latencies: number[];
  /** How many answers dialled each target (`vapi +1212…`, `hangup`, …). */
  answers: Map<string, number>;
  firstError: string | null;
}

/** The value below which `p` percent of the sorted samples fall (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? 0;
}

/**
 * `calls` voice-application requests, each a new session, with at most
 * `concurrency` in flight. Non-2xx answers and unreachable servers count as errors.
 */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const url = webhookUrl(o.target, 'voice', false);
  const latencies: number[] = [];
  const answers = new Map<string, number>();
  let errors = 0;
  let firstError: string | null = null;
  let next = 0;

  async function worker(): Promise<void> {
    while (next < o.calls) {
      next += 1;
      const call = newCall(o.target.domain, o.from, o.to);
      try {
        const a = await send(url, voiceRequest(call), o.method, o.target.secret, o.target.domain);
        latencies.push(a.ms);
        if (!ok(a)) {
          errors += 1;
          firstError ??= `${a.status} ${a.body.slice(0, 500)}`;
          continue;
        }
        let label: string;
        try {
          label = describeCxml(readCxml(a.body));
        } catch {
          label = 'not CXML';
        }
        answers.set(label, (answers.get(label) ?? 0) + 1);
      } catch (err) {
        errors += 1;
        firstError ??= err instanceof Error ? err.message : String(err);
      }
    }
  }

  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(o.concurrency, o.calls) }, () => worker()));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { count: o.calls, errors, seconds, latencies, answers, firstError };
}

export function printLoad(r: LoadResult, print: (line: string) => void): void {
  const f = (ms: number) => ms.toFixed(1);
  const l = r.latencies;
  print(`requests: ${r.count}  errors: ${r.errors}  time: ${r.seconds.toFixed(2)}s  throughput: ${(r.count / r.seconds).toFixed(1)} req/s`);
  print(`latency ms: p50 ${f(percentile(l, 50))}  p95 ${f(percentile(l, 95))}  p99 ${f(percentile(l, 99))}  max ${f(l[l.length - 1] ?? 0)}`);
  const answers = [...r.answers.entries()].sort((a, b) => b[1] - a[1]);
  if (answers.length > 0) print(`answers: ${answers.map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  if (r.firstError) print(`first error: ${r.firstError}`);
}
