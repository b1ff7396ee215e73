import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';

/**
 * A small reverse proxy for benchmarks, shaped like an nginx upstream block: round robin over
 * the instances whose health check (GET `healthPath`, every `intervalMs`) last answered 200
 * (two checks timing out in a row also take one out; refused, or any other status, at once);
 * a request whose connection is refused or reset before any answer goes to the next instance
 * (proxy_next_upstream error); WebSocket upgrades are passed through as raw TCP. Every
 * answer carries `x-bench-upstream: <name>` so the client can tell who answered.
 */
export interface UpstreamSpec {
  name: string;
  port: number;
}

export interface UpstreamState extends UpstreamSpec {
  healthy: boolean;
  /** Answers it gave (any status). */
  answered: number;
  /** WebSocket upgrades passed to it. */
  sockets: number;
}

export interface ProxyStats {
  /** Retries on the next instance, by the error that caused them. */
  retries: Record<string, number>;
  /** Requests answered 502 because no instance took them. */
  badGateway: number;
  /** Answers cut after they had started (the client saw a broken response). */
  cutMidAnswer: number;
  /** Health checks that changed an instance's state. */
  healthChanges: number;
  /** Health checks that timed out (1 s): an instance too busy to answer its check is taken out too. */
  failedChecks: number;
  /** When each retry happened, which instance refused or reset the request, and whether its health check still had it up then. */
  retryLog: { at: number; upstream: string; code: string; markedHealthy: boolean }[];
}

export interface ReadyProxy {
  base: string;
  upstreams: readonly UpstreamState[];
  stats: ProxyStats;
  /** Checks health now, without waiting for the next tick. */
  checkNow(): Promise<void>;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);
const RETRYABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ECONNABORTED']);
const MAX_BODY = 4 * 1024 * 1024;
const UPSTREAM_TIMEOUT_MS = 30_000;
const CHECK_TIMEOUT_MS = 1000;
const FALL = 2;

function forwardable(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  return out;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy(new Error('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startReadyProxy(specs: readonly UpstreamSpec[], healthPath: string, intervalMs = 250): Promise<ReadyProxy> {
  const upstreams: UpstreamState[] = specs.map((s) => ({ ...s, healthy: false, answered: 0, sockets: 0 }));
  const stats: ProxyStats = { retries: {}, badGateway: 0, cutMidAnswer: 0, healthChanges: 0, failedChecks: 0, retryLog: [] };
  // Keep-alive to the instances, as nginx with `keepalive` does: a socket an instance closes while idle is the race retries cover.
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  let next = 0;
  const tunnels = new Set<Socket>();

  /** Healthy instances, starting at the round robin's next one; none healthy: every instance (nginx then tries them all). */
  function order(): UpstreamState[] {
    const start = next++ % upstreams.length;
    const rotated = [...upstreams.slice(start), ...upstreams.slice(0, start)];
    const healthy = rotated.filter((u) => u.healthy);
    return healthy.length > 0 ? healthy : rotated;
  }

  /** Checks timed out in a row, by instance: one slow answer on a busy machine is not taken as "down" (HAProxy's fall 2). */
  const slowChecks = new Map<string, number>();
  function probe(u: UpstreamState): Promise<void> {
    return new Promise((resolve) => {
      let timedOut = false;
      const set = (healthy: boolean) => {
        if (u.healthy !== healthy) stats.healthChanges += 1;
        u.healthy = healthy;
        resolve();
      };
      const req = httpRequest({ host: '127.0.0.1', port: u.port, path: healthPath, agent: false, timeout: CHECK_TIMEOUT_MS }, (res) => {
        res.resume();
        slowChecks.set(u.name, 0);
        // An answer other than 200 (503 while draining) takes it out at once: that is what readiness is for.
        set(res.statusCode === 200);
      });
      req.on('timeout', () => {
        timedOut = true;
        stats.failedChecks += 1;
        req.destroy(new Error('timeout'));
      });
      req.on('error', () => {
        const inRow = timedOut ? (slowChecks.get(u.name) ?? 0) + 1 : FALL;
        slowChecks.set(u.name, inRow);
        if (inRow >= FALL) set(false);
        else resolve();
      });
      req.end();
    });
  }
  const checkNow = async () => {
    await Promise.all(upstreams.map(probe));
  };
  let checking = false;
  const timer = setInterval(() => {
    if (checking) return;
    checking = true;
    void checkNow().finally(() => (checking = false));
  }, intervalMs);

  function attempt(u: UpstreamState, req: IncomingMessage, body: Buffer): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const headers = { ...forwardable(req.headers), 'x-forwarded-for': req.socket.remoteAddress ?? '127.0.0.1', 'x-forwarded-proto': 'http', 'content-length': String(body.length) };
      const up = httpRequest({ host: '127.0.0.1', port: u.port, method: req.method, path: req.url, headers, agent, timeout: UPSTREAM_TIMEOUT_MS }, resolve);
      up.on('timeout', () => up.destroy(Object.assign(new Error('upstream timeout'), { code: 'ETIMEDOUT' })));
      up.on('error', reject);
      up.end(body);
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    let lastError = 'no instance';
    for (const u of order()) {
      let answer: IncomingMessage;
      try {
        answer = await attempt(u, req, body);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? 'ERROR';
        lastError = code;
        // Refused or reset before any answer: the instance never took it, or dropped it unanswered.
        if (RETRYABLE.has(code) || /socket hang up/.test(String(err))) {
          stats.retries[code] = (stats.retries[code] ?? 0) + 1;
          stats.retryLog.push({ at: Date.now(), upstream: u.name, code, markedHealthy: u.healthy });
          u.healthy = false;
          continue;
        }
        break;
      }
      u.answered += 1;
      res.writeHead(answer.statusCode ?? 502, { ...forwardable(answer.headers), 'x-bench-upstream': u.name });
      answer.on('error', () => {
        stats.cutMidAnswer += 1;
        res.destroy();
      });
      answer.pipe(res);
      return;
    }
    stats.badGateway += 1;
    res.writeHead(lastError === 'ETIMEDOUT' ? 504 : 502, { 'content-type': 'text/plain' });
    res.end(`proxy: no instance answered (${lastError})`);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
  });

  server.on('upgrade', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const candidates = order();
    const tryNext = (i: number) => {
      const u = candidates[i];
      if (!u) {
        stats.badGateway += 1;
        client.end('HTTP/1.1 502 Bad Gateway\r\nconnection: close\r\n\r\n');
        return;
      }
      const up = connect(u.port, '127.0.0.1');
      up.once('error', (err: NodeJS.ErrnoException) => {
        stats.retries[`ws ${err.code ?? 'ERROR'}`] = (stats.retries[`ws ${err.code ?? 'ERROR'}`] ?? 0) + 1;
        stats.retryLog.push({ at: Date.now(), upstream: u.name, code: `ws ${err.code ?? 'ERROR'}`, markedHealthy: u.healthy });
        tryNext(i + 1);
      });
      up.once('connect', () => {
        u.sockets += 1;
        up.removeAllListeners('error');
        const lines = [`${req.method} ${req.url} HTTP/1.1`];
        for (let k = 0; k < req.rawHeaders.length; k += 2) lines.push(`${req.rawHeaders[k]}: ${req.rawHeaders[k + 1]}`);
        lines.push(`x-forwarded-for: ${req.socket.remoteAddress ?? '127.0.0.1'}`);
        up.write(`${lines.join('\r\n')}\r\n\r\n`);
        if (head.length > 0) up.write(head);
        tunnels.add(client);
        client.on('close', () => tunnels.delete(client));
        up.pipe(client).pipe(up);
        up.on('error', () => client.destroy());
        client.on('error', () => up.destroy());
        up.on('close', () => client.destroy());
        client.on('close', () => up.destroy());
      });
    };
    client.on('error', () => {});
    tryNext(0);
  });

  await checkNow();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    base: `http://127.0.0.1:${port}`,
    upstreams,
    stats,
    checkNow,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        agent.destroy();
        for (const t of tunnels) t.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
