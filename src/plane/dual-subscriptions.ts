import type { Plane } from './plane.js';

interface SharedSubscription {
  channel: string;
  handler: (message: string) => void;
  unsubscribe: (() => Promise<void>) | null;
  closed: boolean;
}

interface Deps {
  shared: Plane;
  /** This process's own bus: what is published while Redis is away goes there. */
  bus: Plane;
  /** False while Redis cannot take a SUBSCRIBE (down, or the plane failed over). */
  canSubscribe(): boolean;
  isUnavailable(err: unknown): boolean;
  /** Told when Redis is found unreachable while subscribing. */
  onUnavailable(err: unknown): void;
  onRenewError?: (err: unknown) => void;
}

/**
 * Subscriptions of the failover plane, on both sides: Redis for other instances'
 * messages, this process's bus for messages published while Redis is away (each
 * message is published on one side only, so none is heard twice). A subscription
 * made while Redis cannot take it listens on the bus at once and on Redis once it
 * answers again (`renewPending`).
 */
export function createDualSubscriptions({ shared, bus, canSubscribe, isUnavailable, onUnavailable, onRenewError }: Deps) {
  const pending = new Set<SharedSubscription>();

  return {
    async subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>> {
      const unsubscribeLocal = await bus.subscribe(channel, handler);
      const sub: SharedSubscription = { channel, handler, unsubscribe: null, closed: false };
      if (!canSubscribe()) pending.add(sub);
      else {
        try {
          sub.unsubscribe = await shared.subscribe(channel, handler);
        } catch (err) {
          if (!isUnavailable(err)) {
            await unsubscribeLocal();
            throw err;
          }
          onUnavailable(err);
          pending.add(sub);
        }
      }
      return async () => {
        sub.closed = true;
        pending.delete(sub);
        await unsubscribeLocal();
        await sub.unsubscribe?.();
      };
    },

    /** Subscribes on Redis what could not be before; stops at the first failure (tried again later). */
    async renewPending(): Promise<void> {
      for (const sub of [...pending]) {
        if (!canSubscribe()) return;
        try {
          const unsubscribe = await shared.subscribe(sub.channel, sub.handler);
          pending.delete(sub);
          if (sub.closed) await unsubscribe();
          else sub.unsubscribe = unsubscribe;
        } catch (err) {
          onRenewError?.(err);
          return;
        }
      }
    },
  };
}
