import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 the test controls, between the service and a real
 * database or Redis: it can reset every connection, refuse new ones for a while,
 * or stall them (bytes held, nothing refused), as a failover or a flaky network would.
 */
export interface TcpProxy {
  readonly port: number;
  /** Connections open through the proxy now. */
  readonly open: number;
  /** Resets every open connection (RST), as a server failover does; new ones are accepted. */
  reset(): void;
  /** Until `restore`, new connections are refused and open ones are reset: the server is gone. */
  down(): void;
  /** Until `restore`, bytes stop flowing both ways on every connection, old and new: a black hole. */
  stall(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const pairs = new Set<{ client: Socket; upstream: Socket }>();
  let state: 'up' | 'down' | 'stalled' = 'up';

  const server: Server = createServer((client) => {
    if (state === 'down') {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect({ port: targetPort, host: targetHost });
    const pair = { client, upstream };
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
    if (state === 'stalled') pauseBoth(pair);
  });
  // Paused sockets stop reading: the bytes wait in the kernel, as behind a stalled link, and flow again on resume.
  const pauseBoth = (p: { client: Socket; upstream: Socket }) => {
    p.client.pause();
    p.upstream.pause();
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('proxy has no port');

  const resetAll = () => {
    for (const { client, upstream } of [...pairs]) {
      client.resetAndDestroy();
      upstream.destroy();
    }
    pairs.clear();
  };

  return {
    port: address.port,
    get open() {
      return pairs.size;
    },
    reset: resetAll,
    down() {
      state = 'down';
      resetAll();
    },
    stall() {
      state = 'stalled';
      for (const p of pairs) pauseBoth(p);
    },
    restore() {
      state = 'up';
      for (const { client, upstream } of pairs) {
        client.resume();
        upstream.resume();
      }
    },
    async close() {
      resetAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
