import WebSocket from 'ws';

/**
 * Dashboards on GET /ws, as the UI keeps them: authenticated with the token in the URL,
 * reconnecting shortly after any close with the last event id seen (so the server can
 * replay what was missed), until told to stop. Counts what a person would notice.
 */
export interface DashboardStats {
  clients: number;
  /** Opens that reached the server's `ready` frame. */
  ready: number;
  reconnects: number;
  /** Close codes seen (1012 service restart, 1001 going away, 1006 cut without a close frame, ...). */
  closeCodes: Record<string, number>;
  /** Connection attempts that failed before opening (refused, 502 from the proxy, ...). */
  failedOpens: number;
  events: number;
  /** Events replayed on reconnects, and resyncs (the server could not replay). */
  replayed: number;
  resyncs: number;
  /** An event id lower than one already seen on the same client (ids must not go back). */
  idsBackwards: number;
}

const RECONNECT_MS = 250;

export function startDashboards(base: string, token: string, clients: number): { stats: DashboardStats; stop(): Promise<void> } {
  const stats: DashboardStats = { clients, ready: 0, reconnects: 0, closeCodes: {}, failedOpens: 0, events: 0, replayed: 0, resyncs: 0, idsBackwards: 0 };
  const wsBase = base.replace(/^http/, 'ws');
  let stopping = false;
  const open = new Set<WebSocket>();
  const finished: Promise<void>[] = [];

  function client(): Promise<void> {
    return new Promise<void>((done) => {
      let lastId: number | null = null;
      let first = true;
      const connect = () => {
        if (stopping) return done();
        if (!first) stats.reconnects += 1;
        first = false;
        const query = `token=${encodeURIComponent(token)}${lastId !== null ? `&last_id=${lastId}` : ''}`;
        const ws = new WebSocket(`${wsBase}/ws?${query}`);
        let opened = false;
        let failed = false;
        const failOpen = () => {
          if (!opened && !failed) stats.failedOpens += 1;
          failed = true;
        };
        open.add(ws);
        ws.on('open', () => (opened = true));
        ws.on('unexpected-response', (_req, res) => {
          res.resume();
          failOpen();
          ws.terminate();
        });
        ws.on('message', (raw) => {
          let frame: { id?: number; channel?: string; event?: string; data?: { replayed?: number } };
          try {
            frame = JSON.parse(String(raw)) as typeof frame;
          } catch {
            return;
          }
          if (typeof frame.id === 'number') {
            if (lastId !== null && frame.id < lastId) stats.idsBackwards += 1;
            if (frame.id > 0) lastId = Math.max(lastId ?? 0, frame.id);
          }
          if (frame.channel === 'system') {
            if (frame.event === 'ready') {
              stats.ready += 1;
              stats.replayed += frame.data?.replayed ?? 0;
            } else if (frame.event === 'resync') stats.resyncs += 1;
          } else stats.events += 1;
        });
        ws.on('error', failOpen);
        ws.on('close', (code) => {
          open.delete(ws);
          if (opened && !stopping) stats.closeCodes[String(code)] = (stats.closeCodes[String(code)] ?? 0) + 1;
          setTimeout(connect, RECONNECT_MS);
        });
      };
      connect();
    });
  }

  for (let i = 0; i < clients; i += 1) finished.push(client());
  return {
    stats,
    async stop() {
      stopping = true;
      for (const ws of open) ws.close(1000, 'bench done');
      await Promise.all(finished);
    },
  };
}
