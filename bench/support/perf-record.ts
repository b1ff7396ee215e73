import { spawn } from 'node:child_process';

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
    perf.once('exit', () => resolve());
    perf.once('error', (err) => {
      console.warn(`BENCH_PERF: perf did not run (${err.message})`);
      resolve();
    });
  });
}
