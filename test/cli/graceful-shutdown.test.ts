import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createGracefulShutdown } from '../../src/cli/graceful-shutdown.js';
import type { Logger } from '../../src/services/logger.js';
import { DIALECTS } from '../support/backends.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** The shutdown sequence on a real app (the signals themselves are sent to a real `serve` in test/faults/graceful-restart.test.ts). */
describe('sqlite: graceful shutdown', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  function start(app: TestApp, drainMs: number, timeoutMs: number) {
    const steps: string[] = [];
    let exited: (code: number) => void = () => undefined;
    const exit = new Promise<number>((done) => (exited = done));
    const shutdown = createGracefulShutdown({
      app: app.app,
      drain: app.runtime.services.drain,
      closeRuntime: async () => {
        steps.push('flush');
        await app.runtime.close();
        steps.push('flushed');
      },
      logger: app.app.log as Logger,
      drainMs,
      timeoutMs,
      exit: (code) => {
        steps.push(`exit ${code}`);
        exited(code);
      },
    });
    const logged = (msg: string) => app.logs.map((line) => JSON.parse(line) as Record<string, unknown>).find((entry) => entry.msg === msg);
    return { shutdown, steps, exit, logged };
  }

  it('a second signal skips the rest of the drain wait, never the close and the flush', async () => {
    t = await createTestApp(DIALECTS[0]!);
    const { shutdown, steps, exit, logged } = start(t, 60_000, 120_000);
    void shutdown('SIGTERM');
    expect((await t.request({ method: 'GET', url: '/ready' })).statusCode).toBe(503);
    expect((await t.request({ method: 'GET', url: '/up' })).statusCode).toBe(200);
    expect(steps).toEqual([]);
    await shutdown('SIGINT');
    expect(await exit).toBe(0);
    expect(steps).toEqual(['flush', 'flushed', 'exit 0']);
    expect(logged('already shutting down: skipping the rest of the drain wait; requests in flight and held writes still finish')).toBeDefined();
    expect(Number(logged('shut down cleanly')?.drainedMs)).toBeLessThan(60_000);
  });

  it('a request still unfinished near SHUTDOWN_TIMEOUT_MS has its connection cut, so the flush still runs and the exit is 0', async () => {
    t = await createTestApp(DIALECTS[0]!);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    // A body announced and never sent: the request stays in flight until something ends it.
    const socket = connect({ port, host: '127.0.0.1' });
    await new Promise<void>((ready) => socket.once('connect', ready));
    socket.write('POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"em');
    const socketClosed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.on('error', () => undefined);
    await new Promise((r) => setTimeout(r, 50));

    const { shutdown, steps, exit, logged } = start(t, 0, 1500);
    void shutdown('SIGTERM');
    expect(await exit).toBe(0);
    await socketClosed;
    expect(steps).toEqual(['flush', 'flushed', 'exit 0']);
    expect(logged('requests still in flight at the shutdown bound: closing their connections')).toBeDefined();
  });
});
