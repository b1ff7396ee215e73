import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { secretsEqual } from '../core/constant-time.js';

export interface MetricsServer {
  /** `host:port` actually bound (port 0 picks a free one). */
  address: string;
  close(): Promise<void>;
}

function bearer(header: string | undefined): string | undefined {
  return header ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
}

function sendError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify({ error: { code, message } }));
}

/**
 * METRICS_LISTEN: GET /metrics alone, on an address of its own (a loopback or
 * private interface Prometheus reaches), so the public port need not serve it.
 * METRICS_TOKEN, when set, is required here too.
 */
export function listenForMetrics(registry: Registry, at: { host: string; port: number }, token: string | undefined): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      sendError(res, 404, 'not_found', 'Only GET /metrics is served on this address.');
      return;
    }
    if (token !== undefined && !secretsEqual(bearer(req.headers.authorization), token)) {
      sendError(res, 401, 'unauthenticated', 'Send the metrics token (METRICS_TOKEN) as Authorization: Bearer.', { 'www-authenticate': 'Bearer realm="metrics"' });
      return;
    }
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      () => sendError(res, 500, 'internal_error', 'Metrics could not be collected.'),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(at.port, at.host, () => {
      server.off('error', reject);
      const bound = server.address() as AddressInfo;
      const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
      resolve({
        address: `${host}:${bound.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // A scraper's kept-alive connection would otherwise hold the close open.
            server.closeAllConnections();
          }),
      });
    });
  });
}
