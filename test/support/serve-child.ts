import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './free-port.js';

/** `voice-lb serve` as a child process, as an operator runs it, with its output kept. */
export interface ServeChild {
  child: ChildProcess;
  base: string;
  port: number;
  /** Everything it wrote to stdout and stderr. */
  output(): string;
  /** JSON log lines with this message. */
  logLines(msg: string): Record<string, unknown>[];
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL if it is still running (test clean-up). */
  kill(): void;
}

/** Starts `serve` with only the given environment (plus PATH) and resolves once /ready answers 200. */
export async function startServe(env: Record<string, string>, { startTimeoutMs = 90_000 } = {}): Promise<ServeChild> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.once('exit', (code, signal) => done({ code, signal })));
  for (const deadline = Date.now() + startTimeoutMs; ; ) {
    if (child.exitCode !== null) throw new Error(`serve exited (${child.exitCode}):\n${log}`);
    try {
      if ((await fetch(`${base}/ready`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`serve did not become ready:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    child,
    base,
    port,
    output: () => log,
    logLines: (msg) =>
      log
        .split('\n')
        .filter((line) => line.startsWith('{') && line.includes(msg))
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((entry) => entry.msg === msg),
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
