import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * BENCH_PERF=<file>: `perf record` of the service's first measured round, every thread, with
 * the call graphs and the JIT's symbols (the service runs with --perf-basic-prof then). perf
 * counts CPU, where the V8 profile (BENCH_PROFILE) samples wall time: a call that blocks or
 * wakes another thread (postMessage, writev) shows there as more than it costs.
 *
 *   perf report -i <file> --no-children --sort pid -g none          # CPU by thread
 *   perf report -i <file> --no-children --sort dso -g none          # JS, V8, SQLite, kernel
 *   perf report -i <file> --children --tid <main thread> --sort sym -g none
 */
export const PERF_FILE = process.env.BENCH_PERF;
let taken = false;

/** Starts recording `pid` for `seconds` if BENCH_PERF asks for it and nothing was recorded yet; resolves when perf is done. */
export function recordPerfOnce(name: string, pid: number, seconds: number): Promise<void> {
  if (!PERF_FILE || taken || !name.startsWith('service')) return Promise.resolve();
  taken = true;
  const perf = spawn('perf', ['record', '-F', '999', '-g', '-p', String(pid), '-o', PERF_FILE, '--', 'sleep', String(Math.max(1, seconds))], { stdio: 'ignore' });
  return new Promise((resolve) => {
    perf.once('exit', () => {
      keepNewestJitSymbols(`/tmp/perf-${pid}.map`);
      resolve();
    });
    perf.once('error', (err) => {
      console.warn(`BENCH_PERF: perf did not run (${err.message})`);
      resolve();
    });
  });
}

/**
 * V8 puts new code where collected code was, and --perf-basic-prof's map keeps every entry ever
 * written: perf then names a frame after whichever entry it picks, often code long gone (a
 * report of the webhook put 5% of the samples in startup code). The round is recorded after the
 * warm-up, so for each address the newest entry is the code that ran: the older entries that
 * overlap a newer one are dropped, in place, before anything reads the map.
 */
export function keepNewestJitSymbols(mapFile: string): void {
  if (!existsSync(mapFile)) return;
  const entries = readFileSync(mapFile, 'utf8')
    .split('\n')
    .map((line) => /^([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(line))
    .filter((m) => m !== null)
    .map((m) => ({ start: parseInt(m[1]!, 16), end: parseInt(m[1]!, 16) + parseInt(m[2]!, 16), line: m[0] }));
  // Newest first: an entry is kept when no kept (newer) one overlaps it; kept sorted by start for the search.
  const byStart: typeof entries = [];
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    let lo = 0;
    let hi = byStart.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (byStart[mid]!.start < e.start) lo = mid + 1;
      else hi = mid;
    }
    const before = byStart[lo - 1];
    const after = byStart[lo];
    if ((before && before.end > e.start) || (after && after.start < e.end)) continue;
    byStart.splice(lo, 0, e);
  }
  writeFileSync(mapFile, byStart.map((e) => e.line).join('\n') + '\n');
}
