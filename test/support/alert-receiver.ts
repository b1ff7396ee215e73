import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedAlert {
  headers: IncomingHttpHeaders;
  /** The raw body, as signed. */
  body: string;
  json: { type: string; tenant_id: number; dropped_before: number; alert: { id: number; kind: string; state: string; subject_id: number | null; message: string } };
}

/** A local HTTP receiver (127.0.0.1) for outgoing alert webhooks; answers `status()` (200 by default). */
export interface AlertReceiver {
  readonly url: string;
  readonly received: ReceivedAlert[];
  /** Requests that came, including those answered with an error. */
  attempts: number;
  status: () => number;
  close(): Promise<void>;
}

export async function startAlertReceiver(): Promise<AlertReceiver> {
  const r: Omit<AlertReceiver, 'url' | 'close'> = { received: [], attempts: 0, status: () => 200 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      r.attempts++;
      const code = r.status();
      const body = Buffer.concat(chunks).toString('utf8');
      if (code < 300) r.received.push({ headers: req.headers, body, json: JSON.parse(body) as ReceivedAlert['json'] });
      res.writeHead(code).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(r, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/alerts`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
