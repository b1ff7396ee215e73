import type { CompiledInboundRule, CompiledOutboundRule } from '../../core/routing/order-rules.js';
import type { Plane } from '../../plane/plane.js';
import { isDatabaseUnavailable } from '../../store/dialect.js';
import type { Logger } from '../logger.js';

export const RULES_CHANGED = 'rules.changed';
const TTL_MS = 60_000;

export interface RuleLoaders {
  inbound(tenantId: number): Promise<readonly CompiledInboundRule[]>;
  outbound(tenantId: number): Promise<readonly CompiledOutboundRule[]>;
}

interface Entry {
  inbound: readonly CompiledInboundRule[];
  outbound: readonly CompiledOutboundRule[];
  at: number;
}

/**
 * Each tenant's rules, compiled once and kept until a rule changes: the rules
 * services publish RULES_CHANGED on every write and every instance drops that
 * tenant's entry, so the next call sees the change. A TTL bounds staleness if a
 * message is ever lost.
 */
export function createRulesCache(load: RuleLoaders, plane: Plane, logger: Logger) {
  const cache = new Map<number, Promise<Entry>>();
  let unsubscribe: (() => Promise<void>) | undefined;

  /** The loaded entries, beside their promises: a call whose tenant's rules are loaded reads them without awaiting. */
  const ready = new Map<number, Entry>();

  function entry(tenantId: number): Promise<Entry> {
    const hit = cache.get(tenantId);
    if (hit) return hit;
    const loading = Promise.all([load.inbound(tenantId), load.outbound(tenantId)]).then(([inbound, outbound]) => ({ inbound, outbound, at: Date.now() }));
    cache.set(tenantId, loading);
    loading.then(
      (e) => {
        if (cache.get(tenantId) === loading) ready.set(tenantId, e);
      },
      // A failed load must not stay cached.
      () => cache.delete(tenantId),
    );
    return loading;
  }

  function drop(tenantId: number): void {
    cache.delete(tenantId);
    ready.delete(tenantId);
  }

  function clear(): void {
    cache.clear();
    ready.clear();
  }

  async function fresh(tenantId: number): Promise<Entry> {
    const e = await entry(tenantId);
    if (Date.now() - e.at < TTL_MS) return e;
    drop(tenantId);
    // While the database is away, calls keep routing on the rules already compiled.
    return entry(tenantId).catch((err: unknown) => {
      if (isDatabaseUnavailable(err)) return e;
      throw err;
    });
  }

  return {
    async start(): Promise<void> {
      unsubscribe = await plane.subscribe(RULES_CHANGED, (message) => {
        try {
          const { tenantId } = JSON.parse(message) as { tenantId?: unknown };
          if (typeof tenantId === 'number') drop(tenantId);
          else clear();
        } catch {
          clear();
        }
      });
    },
    async stop(): Promise<void> {
      // Shutting down with Redis unreachable must still shut down.
      await unsubscribe?.().catch((err: unknown) => logger.warn({ err }, 'could not unsubscribe while stopping'));
    },
    /** The tenant's rules when they are loaded and fresh, at once (no promise); undefined: ask `inbound`/`outbound`. */
    loaded(tenantId: number): Pick<Entry, 'inbound' | 'outbound'> | undefined {
      const e = ready.get(tenantId);
      return e && Date.now() - e.at < TTL_MS ? e : undefined;
    },
    /** Both kinds of the tenant's rules, loaded (or reloaded) when `loaded` has none. */
    all: (tenantId: number): Promise<Pick<Entry, 'inbound' | 'outbound'>> => fresh(tenantId),
    inbound: async (tenantId: number) => (await fresh(tenantId)).inbound,
    outbound: async (tenantId: number) => (await fresh(tenantId)).outbound,
    /** Drops a tenant's entry in this process (the publisher also hears its own message). */
    forget(tenantId: number): void {
      drop(tenantId);
      logger.debug({ tenantId }, 'rules cache entry dropped');
    },
  };
}
export type RulesCache = ReturnType<typeof createRulesCache>;
