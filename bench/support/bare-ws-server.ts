import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

/**
 * The real-time baseline: a bare node:http + ws server. `POST /fire` with
 * `{"session":"…"}` answers 200 and sends every connected socket two frames of
 * about the size the service sends (BARE_FRAME_BYTES), call.started and call.routed
 * as a routed call raises, each encoded once for all sockets and both in one write
 * per socket; a new socket gets a `ready` frame, as the service's do.
 */
const port = Number(process.env.BARE_PORT ?? 0);
const frameBytes = Number(process.env.BARE_FRAME_BYTES ?? 500);
const wss = new WebSocketServer({ noServer: true });

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (req.method === 'POST' && req.url === '/fire') {
      const { session } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { session: string };
      const frames = ['call.started', 'call.routed'].map((event) => {
        const head = `{"id":1,"channel":"calls","event":"${event}","data":{"session_token":"${session}","pad":"`;
        return Buffer.from(`${head}${'x'.repeat(Math.max(0, frameBytes - head.length - 4))}"}}`);
      });
      // Both frames in one write per socket, as the service does (its net.Socket corked).
      for (const client of wss.clients) {
        const raw = (client as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
        raw?.cork();
        for (const frame of frames) client.send(frame, { binary: false });
        raw?.uncork();
      }
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
});
server.on('upgrade', (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => ws.send('{"id":0,"channel":"system","event":"ready","data":{}}'));
});
server.keepAliveTimeout = 72_000;
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => {
  for (const client of wss.clients) client.terminate();
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
