import WebSocket from 'ws';

/**
 * A DevTools protocol session with a server started with `--inspect=127.0.0.1:<port>`,
 * to read what it holds in memory without adding a line to it: the memory plane keeps its
 * state in closures that nothing outside the process can reach otherwise.
 */
export interface Inspector {
  call<T = Record<string, unknown>>(method: string, params?: Record<string, unknown>): Promise<T>;
  close(): void;
}

export async function connectInspector(port: number): Promise<Inspector> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
  const url = targets[0]?.webSocketDebuggerUrl;
  if (!url) throw new Error(`no inspector target on port ${port}`);
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  socket.on('message', (data: WebSocket.RawData) => {
    const msg = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { message: string } };
    if (msg.id === undefined) return; // an event
    const w = waiting.get(msg.id);
    waiting.delete(msg.id);
    if (msg.error) w?.reject(new Error(msg.error.message));
    else w?.resolve(msg.result);
  });
  return {
    call<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
      const id = nextId++;
      socket.send(JSON.stringify({ id, method, params }));
      return new Promise<T>((resolve, reject) => waiting.set(id, { resolve: resolve as (v: unknown) => void, reject }));
    },
    close: () => socket.close(),
  };
}

/** What the server's Maps hold, read with `queryObjects` (a full GC first). */
export interface MapCensus {
  /** Maps whose keys are plane keys (`t:<tenant>:…`, `webhook-rejections:…`): the memory plane's. */
  planeMaps: number;
  planeEntries: number;
  /** Entries inside those entries: live-call slot members, window buckets, event-log entries. */
  planeInnerEntries: number;
  /** Entries of every Map in the heap (the plane's, caches, the framework's). */
  allMapEntries: number;
  /** The plane's entries by key kind (the key with its ids blanked), largest first. */
  planeByKind: [string, number][];
}

/** Runs in the server (Runtime.callFunctionOn), `this` being the array of every live Map. */
function censusInServer(this: Map<unknown, unknown>[]): string {
  let planeMaps = 0;
  let planeEntries = 0;
  let planeInnerEntries = 0;
  let allMapEntries = 0;
  const kinds: Record<string, number> = {};
  for (const m of this) {
    let first: unknown;
    try {
      allMapEntries += m.size;
      first = Map.prototype.keys.call(m).next().value;
    } catch {
      continue; // not a usable Map (the prototype itself, or a subclass that refuses)
    }
    if (typeof first !== 'string' || !/^(t:\d+:|webhook-rejections:)/.test(first)) continue;
    planeMaps += 1;
    planeEntries += m.size;
    for (const [key, value] of m) {
      const kind = String(key)
        .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
        .replace(/[0-9a-f]{16,}/g, '<id>')
        .replace(/\d+/g, 'N');
      kinds[kind] = (kinds[kind] ?? 0) + 1;
      const v = value as { members?: unknown; buckets?: unknown; entries?: unknown } | null;
      if (v && typeof v === 'object') {
        if (v.members instanceof Map) planeInnerEntries += v.members.size;
        if (v.buckets instanceof Map) planeInnerEntries += v.buckets.size;
        if (Array.isArray(v.entries)) planeInnerEntries += v.entries.length;
      }
    }
  }
  const planeByKind = Object.entries(kinds).sort((a, b) => b[1] - a[1]).slice(0, 8);
  return JSON.stringify({ planeMaps, planeEntries, planeInnerEntries, allMapEntries, planeByKind });
}

export async function mapCensus(inspector: Inspector): Promise<MapCensus> {
  const group = 'vlb-bench-census';
  try {
    const proto = await inspector.call<{ result: { objectId: string } }>('Runtime.evaluate', { expression: 'Map.prototype', objectGroup: group });
    const maps = await inspector.call<{ objects: { objectId: string } }>('Runtime.queryObjects', { prototypeObjectId: proto.result.objectId, objectGroup: group });
    const out = await inspector.call<{ result: { value?: string }; exceptionDetails?: { text: string; exception?: { description?: string } } }>('Runtime.callFunctionOn', {
      objectId: maps.objects.objectId,
      functionDeclaration: censusInServer.toString(),
      returnByValue: true,
      objectGroup: group,
    });
    if (out.exceptionDetails || out.result.value === undefined) throw new Error(`the census failed in the server: ${out.exceptionDetails?.exception?.description ?? out.exceptionDetails?.text ?? 'no value'}`);
    return JSON.parse(out.result.value) as MapCensus;
  } finally {
    await inspector.call('Runtime.releaseObjectGroup', { objectGroup: group });
  }
}

/** The server's V8 heap after a full GC, bytes. */
export async function heapUsedAfterGc(inspector: Inspector): Promise<number> {
  await inspector.call('HeapProfiler.collectGarbage');
  const out = await inspector.call<{ result: { value: number } }>('Runtime.evaluate', { expression: 'process.memoryUsage().heapUsed', returnByValue: true });
  return out.result.value;
}
