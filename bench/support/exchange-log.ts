/**
 * Every HTTP exchange a benchmark client made, with when it started, so latency can
 * be split by time window (steady state against restart windows) after the run.
 */
export interface Exchange {
  route: string;
  /** HTTP status; 0 when no answer came at all. */
  status: number;
  /** Epoch ms when it was sent. */
  at: number;
  ms: number;
  /** The instance that answered, from the proxy's x-bench-upstream header. */
  upstream: string | null;
}

export interface Window {
  from: number;
  to: number;
}

export class ExchangeLog {
  readonly exchanges: Exchange[] = [];

  add(e: Exchange): void {
    this.exchanges.push(e);
  }

  /** 5xx (and unanswered, as status 0) counted by `route status`. */
  failuresByRoute(): Map<string, number> {
    const out = new Map<string, number>();
    for (const e of this.exchanges) {
      if (e.status !== 0 && e.status < 500) continue;
      const key = `${e.route} ${e.status || 'no answer'}`;
      out.set(key, (out.get(key) ?? 0) + 1);
    }
    return out;
  }

  /** Answers (any status) by instance. */
  byUpstream(): Map<string, number> {
    const out = new Map<string, number>();
    for (const e of this.exchanges) if (e.upstream) out.set(e.upstream, (out.get(e.upstream) ?? 0) + 1);
    return out;
  }
}

export function inAny(at: number, windows: readonly Window[]): boolean {
  return windows.some((w) => at >= w.from && at <= w.to);
}

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export function summarize(values: readonly number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
  return { count: sorted.length, p50: at(50), p99: at(99), max: sorted[sorted.length - 1] ?? 0 };
}
