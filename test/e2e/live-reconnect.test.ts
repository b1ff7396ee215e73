import { describe, expect, it } from 'vitest';
import { browserSuite } from './browser-suite.js';
import { signIn } from './page-helpers.js';

const admin = { name: 'Rita Restart', email: 'rita@example.com', password: 'Granite-Harbour-Lantern-42' };

/**
 * A server shutting down closes dashboards' sockets with 1012 (test/faults/graceful-restart.test.ts);
 * here the browser's side of it: the page reconnects at once, every time, instead of backing off as
 * after a failure (1 s, 2 s, 4 s…). Between the page and the real server the test closes the socket
 * as a restarting instance does.
 */
describe('sqlite: the admin UI when its server restarts', () => {
  const suite = browserSuite({ firstTenant: { admin, tenantName: 'Restart Co', domain: 'restart.cloudonix.net' } });

  it('a socket closed with 1012 (Service Restart) is opened again at once, three times running, and the page stays live', async () => {
    const { page, service } = suite;
    const RESTARTS = 3;
    const opened: number[] = [];
    await page.routeWebSocket(/\/ws(\?|$)/, (ws) => {
      opened.push(Date.now());
      const server = ws.connectToServer();
      server.onMessage((message) => {
        ws.send(message);
        // Once authenticated (`ready`), this connection's "instance" restarts, for the first RESTARTS connections.
        if (opened.length <= RESTARTS && String(message).includes('"event":"ready"')) {
          setTimeout(() => {
            ws.close({ code: 1012, reason: 'server restarting: reconnect' });
            server.close();
          }, 100);
        }
      });
    });
    await signIn(page, service.base, admin.email, admin.password);
    // A failure's back-off would take 2 + 4 + 8 s before the fourth connection; 1012 waits under a second each time.
    await expect.poll(() => opened.length, { timeout: 10_000, interval: 100 }).toBeGreaterThan(RESTARTS);
    await page.locator('[data-live-status="live"]').waitFor();
    const gaps = opened.slice(1).map((at, i) => at - opened[i]!);
    console.log(`reconnects after 1012: ${gaps.map((g) => `${g} ms`).join(', ')} (each includes the 100 ms the socket stayed open)`);
  });
});
