import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createGracefulShutdown } from '../../src/cli/graceful-shutdown.js';
import type { Logger } from '../../src/services/logger.js';
import { openStore } from '../../src/store/database.js';
import { registerTenant } from '../support/actors.js';
import { DIALECTS } from '../support/backends.js';
import { newSession, parseCxml, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { createAgent, createInboundRule } from '../support/fixtures.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** The shutdown sequence on a real app (the signals themselves are sent to a real `serve` in test/faults/graceful-restart.test.ts). */
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

describe('sqlite: graceful shutdown', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

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

/** A restart while the database is away: calls routed from memory were answered, so their records are waited for. */
for (const dialect of DIALECTS.filter((d) => d.name !== 'sqlite')) {
  describe(`${dialect.name}: shutdown during a database outage`, () => {
    let proxy: TcpProxy;
    let t: TestApp | undefined;
    let directUrl = '';
    afterEach(async () => {
      proxy?.restore();
      await t?.close();
      await proxy?.close();
    });

    it('records held while the database is away are written once it is back during the shutdown, audit rows too', async () => {
      proxy = await startTcpProxy(dialect.name === 'postgres' ? 5432 : 3306);
      t = await createTestApp(dialect, { LOG_LEVEL: 'warn' }, {
        databaseUrl: (url) => {
          directUrl = url;
          const u = new URL(url);
          u.host = `127.0.0.1:${proxy.port}`;
          return u.toString();
        },
      });
      const a = await registerTenant(t, 'outage');
      const secret = await webhookSecret(t, a.admin.token);
      const agent = await createAgent(t, a.admin.token, { provider: 'vapi', service_value: '+12125550999' });
      await createInboundRule(t, a.admin.token, { pattern: '*', target_type: 'agent', target_id: agent });

      const sessions = Array.from({ length: 6 }, () => newSession());
      for (const [i, session] of sessions.entries()) {
        // The first call loads the tenant's routing into memory; the others are routed from it with the database away.
        if (i === 1) proxy.down();
        const res = await t.request({ method: 'POST', url: `/api/voice/application/${a.domain}`, headers: { authorization: `Bearer ${secret}` }, payload: voiceBody(a.domain, session) });
        expect(res.statusCode).toBe(200);
        expect(parseCxml(res.body)).toHaveProperty('Dial');
      }
      expect(t.runtime.services.routing.life.held.size).toBeGreaterThan(0);

      const { shutdown, steps, exit } = start(t, 0, 20_000);
      void shutdown('SIGTERM');
      await new Promise((r) => setTimeout(r, 1500));
      expect(steps).toEqual(['flush']);
      proxy.restore();
      expect(await exit).toBe(0);

      const store = openStore(directUrl);
      try {
        const records = await store.db.selectFrom('call_records').select('session_token').where('tenant_id', '=', a.tenantId).execute();
        expect(records.map((r) => r.session_token).sort()).toEqual([...sessions].sort());
        const audited = await store.db.selectFrom('webhook_audit').select('session_token').where('tenant_id', '=', a.tenantId).where('event_type', '=', 'voice_application').execute();
        expect(audited.map((r) => r.session_token).sort()).toEqual([...sessions].sort());
      } finally {
        await store.close();
      }
    });
  });
}
