import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';

const TOKEN = 'serve-metrics-token-7c1f0e93ab42';

/** `serve` as an operator starts it, with a token and a separate metrics address. */
describe('serve: /metrics with METRICS_TOKEN and METRICS_LISTEN', () => {
  let child: ChildProcess;
  let log = '';
  let base: string;
  let metricsBase: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'vlb-serve-'));

  beforeAll(async () => {
    const [port, metricsPort] = [await freePort(), await freePort()];
    base = `http://127.0.0.1:${port}`;
    metricsBase = `http://127.0.0.1:${metricsPort}`;
    child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', SHUTDOWN_DRAIN_MS: '200', METRICS_TOKEN: TOKEN, METRICS_LISTEN: `127.0.0.1:${metricsPort}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    for (const deadline = Date.now() + 90_000; ; ) {
      if (child.exitCode !== null) throw new Error(`serve exited (${child.exitCode}):\n${log}`);
      try {
        if ((await fetch(`${base}/up`)).ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`serve did not start:\n${log}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 120_000);

  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves /metrics with its token on both addresses, says where at start-up, and closes both on SIGTERM', async () => {
    const bearer = { authorization: `Bearer ${TOKEN}` };
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    expect((await fetch(`${base}/metrics`, { headers: bearer })).status).toBe(200);
    expect((await fetch(`${metricsBase}/metrics`)).status).toBe(401);
    const scraped = await fetch(`${metricsBase}/metrics`, { headers: bearer });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('http_requests_total');
    expect((await fetch(`${metricsBase}/api/tenant`)).status).toBe(404);

    expect(log).toContain(`/metrics with its token and ${metricsBase}/metrics`);
    // HOST is loopback: no PUBLIC_URL warning (test/cli/start-up-summary.test.ts has the hosts that get one).
    expect(log).not.toContain('PUBLIC_URL is unset');
    expect(log).not.toContain(TOKEN);

    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(`${metricsBase}/metrics`, { headers: bearer })).rejects.toThrow();
  });
});
