import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuSeconds, ROOT } from './processes.js';

/**
 * One `serve` instance on a fixed port that can be stopped with SIGTERM and started
 * again on the same port (a rolling restart), its output kept in one file across
 * restarts so its warnings can be read afterwards, its CPU time summed over its lives.
 */
export interface StopResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** From SIGTERM to exit. */
  ms: number;
  /** It did not exit within the grace period and was killed. */
  forced: boolean;
}

export interface Instance {
  name: string;
  port: number;
  base: string;
  pid(): number | null;
  start(): Promise<void>;
  /** `signal` SIGTERM (default), or SIGKILL for a crash instead of a restart. */
  stop(graceMs?: number, signal?: NodeJS.Signals): Promise<StopResult>;
  /** User + system CPU seconds over all its lives (sampled every 250 ms, so the last moments of each are missed). */
  cpuSeconds(): number;
  /** Warning and error lines it logged (messages only, counted), except those in `ignore`. */
  problems(ignore?: RegExp): Map<string, number>;
  /** Removes its log folder. */
  dispose(): void;
}

async function waitFor(url: string, child: ChildProcess, tail: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`instance exited with ${child.exitCode} before it answered:\n${tail()}`);
    const ok = await fetch(url).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`instance did not answer ${url} within ${timeoutMs} ms:\n${tail()}`);
}

export function defineInstance(name: string, port: number, env: Record<string, string>, readyPath: string): Instance {
  const dir = mkdtempSync(join(tmpdir(), 'vlb-scale-out-'));
  const logFile = join(dir, `${name}.log`);
  closeSync(openSync(logFile, 'w'));
  const tail = () => readFileSync(logFile, 'utf8').slice(-4000);
  let child: ChildProcess | null = null;
  let pastCpu = 0;
  let currentCpu = 0;
  let sampler: NodeJS.Timeout | null = null;
  const sample = () => {
    if (child?.pid === undefined || child.exitCode !== null) return;
    try {
      currentCpu = cpuSeconds(child.pid);
    } catch {
      // exiting
    }
  };

  return {
    name,
    port,
    base: `http://127.0.0.1:${port}`,
    pid: () => child?.pid ?? null,
    async start() {
      const fd = openSync(logFile, 'a');
      child = spawn(process.execPath, ['dist/cli/main.js', 'serve'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port), HOST: '127.0.0.1' },
        stdio: ['ignore', fd, fd],
      });
      closeSync(fd);
      currentCpu = 0;
      sampler = setInterval(sample, 250);
      try {
        await waitFor(`http://127.0.0.1:${port}${readyPath}`, child, tail, 60_000);
      } catch (err) {
        child.kill('SIGKILL');
        throw err;
      }
    },
    stop(graceMs = 30_000, signal: NodeJS.Signals = 'SIGTERM') {
      const c = child;
      return new Promise<StopResult>((resolve) => {
        if (!c || c.exitCode !== null || c.signalCode !== null) return resolve({ code: c?.exitCode ?? null, signal: c?.signalCode ?? null, ms: 0, forced: false });
        sample();
        const began = Date.now();
        let forced = false;
        const force = setTimeout(() => {
          forced = true;
          c.kill('SIGKILL');
        }, graceMs);
        c.once('exit', (code, signal) => {
          clearTimeout(force);
          if (sampler) clearInterval(sampler);
          pastCpu += currentCpu;
          currentCpu = 0;
          resolve({ code, signal, ms: Date.now() - began, forced });
        });
        c.kill(signal);
      });
    },
    cpuSeconds: () => {
      sample();
      return pastCpu + currentCpu;
    },
    problems(ignore) {
      const counts = new Map<string, number>();
      for (const line of readFileSync(logFile, 'utf8').split('\n')) {
        if (!/"level":(40|50|60)/.test(line)) continue;
        let msg = line.slice(0, 200);
        try {
          const parsed = JSON.parse(line) as { msg?: unknown; err?: { message?: unknown }; res?: { statusCode?: unknown }; req?: { url?: unknown } };
          msg = String(parsed.msg ?? msg);
          // The cause, and for request lines the status and route, say more than the message alone.
          if (typeof parsed.err?.message === 'string') msg += `: ${parsed.err.message.slice(0, 160)}`;
          if (parsed.res?.statusCode !== undefined) msg += ` ${String(parsed.res.statusCode)} ${String(parsed.req?.url ?? '').replace(/\?.*$/, '').replace(/[^/]+\.cloudonix\.net$/, ':domain')}`;
        } catch {
          // not JSON: keep the raw start
        }
        if (ignore?.test(msg)) continue;
        counts.set(msg, (counts.get(msg) ?? 0) + 1);
      }
      return counts;
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
