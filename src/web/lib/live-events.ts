import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import { getToken, useToken } from './auth-store.js';
import { queryRoots, type QueryRoot } from './query-keys.js';

/**
 * Real-time updates over `GET /ws?token=…`: each message `{channel, event, data, id, ts}`
 * marks the cached queries that show that kind of data as stale, so the pages refetch.
 * While the socket is not open (never reached, refused, 404 on an older server, dropped)
 * the status is `polling` and `usePollInterval` makes the live pages poll instead.
 */
export type LiveStatus = 'connecting' | 'live' | 'polling';

const callData: QueryRoot[] = [queryRoots.calls, queryRoots.callRecords];

/** Which cached data each event makes stale. */
const staleByEvent: Record<string, readonly QueryRoot[]> = {
  'call.started': callData,
  'call.routed': callData,
  'call.status.updated': callData,
  'call.ended': [...callData, queryRoots.cdrs, queryRoots.analytics],
  'agent.updated': [queryRoots.agents, queryRoots.groups],
  'group.updated': [queryRoots.groups],
  'rule.changed': [queryRoots.inboundRules, queryRoots.outboundRules],
  'metrics.updated': [queryRoots.analytics, queryRoots.calls],
};

/** Everything a missed event could have changed: refetched on `resync` and after a reconnect. */
const liveRoots: readonly QueryRoot[] = [...new Set(Object.values(staleByEvent).flat())];

/** Close code of a refused token (core/schemas/realtime.ts `realtimeCloseCodes.unauthenticated`). */
const UNAUTHENTICATED = 4401;
/** Close code of a server shutting down (`realtimeCloseCodes.restarting`): reconnect at once, elsewhere. */
const RESTARTING = 1012;

let status: LiveStatus = 'connecting';
const listeners = new Set<() => void>();

function setStatus(next: LiveStatus): void {
  if (next === status) return;
  status = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(subscribe, () => status, () => status);
}

/** `ms` while updates are not pushed (for TanStack's `refetchInterval`), false while they are. */
export function usePollInterval(ms: number): number | false {
  return useLiveStatus() === 'live' ? false : ms;
}

interface LiveMessage {
  event: string;
  id?: string | number;
}

function parseMessage(raw: unknown): LiveMessage | null {
  if (typeof raw !== 'string') return null;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null || !('event' in value) || typeof value.event !== 'string') return null;
    const id = 'id' in value && (typeof value.id === 'string' || typeof value.id === 'number') ? value.id : undefined;
    return id === undefined ? { event: value.event } : { event: value.event, id };
  } catch {
    return null;
  }
}

/** Collects the roots to refresh for 250 ms, so a burst of events costs one refetch per query. */
function batcher(client: QueryClient) {
  const pending = new Set<QueryRoot>();
  let timer: number | undefined;
  const flush = () => {
    timer = undefined;
    for (const root of pending) void client.invalidateQueries({ queryKey: [root] });
    pending.clear();
  };
  return {
    add(roots: readonly QueryRoot[]) {
      for (const root of roots) pending.add(root);
      timer ??= window.setTimeout(flush, 250);
    },
    cancel() {
      if (timer !== undefined) window.clearTimeout(timer);
    },
  };
}

/** Seconds before the next try: doubling from 1 s to 30 s; 60 s once the server has never answered (no /ws there). */
function retryDelay(failures: number, everOpened: boolean): number {
  if (!everOpened && failures >= 3) return 60_000;
  return Math.min(30_000, 1000 * 2 ** Math.min(failures, 5)) + Math.random() * 500;
}

/** Mount once, inside the signed-in layout: keeps one socket open while a token is held. */
export function useLiveEvents(): void {
  const token = useToken();
  const client = useQueryClient();

  useEffect(() => {
    if (!token) return;
    const queue = batcher(client);
    let socket: WebSocket | null = null;
    let retry: number | undefined;
    let lastId: string | undefined;
    let failures = 0;
    let everOpened = false;
    let stopped = false;

    const connect = () => {
      const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
      const query = new URLSearchParams({ token });
      if (lastId !== undefined) query.set('last_id', lastId);
      const ws = new WebSocket(`${scheme}://${window.location.host}/ws?${query.toString()}`);
      socket = ws;
      ws.onopen = () => {
        // Anything may have changed while we were away; replayed events cover most, this covers the rest.
        if (everOpened) queue.add(liveRoots);
        everOpened = true;
        failures = 0;
        setStatus('live');
      };
      ws.onmessage = (message: MessageEvent) => {
        const parsed = parseMessage(message.data);
        if (!parsed) return;
        if (parsed.id !== undefined) lastId = String(parsed.id);
        // `resync` (system channel): what we missed cannot be replayed, so everything live is refetched.
        queue.add(parsed.event === 'resync' ? liveRoots : (staleByEvent[parsed.event] ?? []));
      };
      ws.onclose = (event: CloseEvent) => {
        socket = null;
        if (stopped) return;
        setStatus('polling');
        // 1012: the instance is restarting and the load balancer already sends elsewhere; a short random
        // pause spreads the reconnects of every open dashboard. Not a failure: the back-off stays short.
        if (event.code === RESTARTING) {
          retry = window.setTimeout(connect, 100 + Math.random() * 900);
          return;
        }
        failures += 1;
        // 4401: the token no longer works (signed out elsewhere, user deactivated). Asking who we are
        // gets the 401 that signs this tab out; until then, retry slowly. The question waits a moment:
        // when this tab itself is signing out, the token is gone by then and nothing is asked.
        if (event.code === UNAUTHENTICATED) {
          window.setTimeout(() => {
            if (!stopped && getToken() === token) void client.invalidateQueries({ queryKey: [queryRoots.me] });
          }, 1000);
        }
        retry = window.setTimeout(connect, event.code === UNAUTHENTICATED ? 60_000 : retryDelay(failures, everOpened));
      };
    };

    setStatus('connecting');
    connect();
    return () => {
      stopped = true;
      queue.cancel();
      if (retry !== undefined) window.clearTimeout(retry);
      const open = socket;
      if (open?.readyState === WebSocket.CONNECTING) {
        // Closing a socket mid-handshake makes the browser log an error: let it open, then close it.
        open.onmessage = null;
        open.onopen = () => open.close();
      } else {
        open?.close();
      }
      setStatus('connecting');
    };
  }, [token, client]);
}
