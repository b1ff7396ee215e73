import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';

interface LogLine {
  level: number;
  msg: string;
  req?: { method: string; url: string };
  res?: { statusCode: number };
}

/** A first `serve` on a laptop, as `npm start` runs it: loopback, fresh DATA_DIR, LOG_LEVEL=info. */
describe('serve: the start-up summary and what is logged at info', () => {
  let child: ChildProcess;
  let stdout = '';
  let stderr = '';
  let base: string;
  let port: number;
  const dataDir = mkdtempSync(join(tmpdir(), 'vlb-start-up-'));

  beforeAll(async () => {
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    // The summary (stderr) and the JSON lines (stdout, written by pino on its own schedule) arrive in either order.
    const started = () => stderr.includes('Voice agent load balancer ready') && stdout.includes('voice agent load balancer listening on');
    for (const deadline = Date.now() + 90_000; !started(); ) {
      if (child.exitCode !== null) throw new Error(`serve exited (${child.exitCode}):\n${stdout}${stderr}`);
      if (Date.now() > deadline) throw new Error(`serve did not start:\n${stdout}${stderr}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 120_000);

  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints one human summary on stderr: where to open, the mode, the first-run step and the new key to back up', () => {
    expect(stderr.match(/Voice agent load balancer ready/g)).toHaveLength(1);
    expect(stderr).toContain(`Open:      ${base}\n`);
    expect(stderr).toContain('Mode:      embedded');
    expect(stderr).toContain(`Database:  SQLite at ${join(dataDir, 'voice-lb.sqlite')}`);
    expect(stderr).toContain(`First run: no tenant yet: open ${base}/register`);
    expect(stderr).toContain(`Back up:   ${join(dataDir, 'app.key')} was created just now`);
    // stdout stays JSON lines for log pipelines, the listening line among them.
    const lines = stdout.split('\n').filter(Boolean);
    expect(lines.every((l) => l.startsWith('{'))).toBe(true);
    expect(lines.some((l) => l.includes('voice agent load balancer listening on'))).toBe(true);
    // Bound to loopback: nobody else can call it, so PUBLIC_URL has nothing to fix.
    expect(stdout + stderr).not.toContain('PUBLIC_URL is unset');
  });

  it('logs at info the requests an operator acts on (a 404), not probes, scrapes or requests that went well', async () => {
    const logged = stdout.split('\n').filter(Boolean).length;
    for (const path of ['/up', '/ready', '/health', '/api/auth/signup-policy', '/up', '/no-such-page']) {
      const res = await fetch(base + path);
      await res.arrayBuffer();
      expect(res.status, path).toBe(path === '/no-such-page' ? 404 : 200);
    }
    await new Promise((r) => setTimeout(r, 200));
    const requestLines = stdout
      .split('\n')
      .filter(Boolean)
      .slice(logged)
      .map((l) => JSON.parse(l) as LogLine)
      .filter((l) => l.msg.includes('request'));
    expect(requestLines).toEqual([expect.objectContaining({ level: 30, msg: 'request completed', req: expect.objectContaining({ method: 'GET', url: '/no-such-page' }), res: { statusCode: 404 } })]);

    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
