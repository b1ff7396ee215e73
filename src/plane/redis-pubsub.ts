import type { Redis } from 'ioredis';
import { waitForRedis } from './redis-client.js';

/** Options of the Redis pub/sub hub. */
export interface RedisPubSubOptions {
  /** Called when a handler throws; the other handlers still receive the message. */
  onHandlerError?: (error: unknown, channel: string) => void;
  /** Called with errors of the subscriber connection (it reconnects and resubscribes by itself). */
  onConnectionError?: (error: Error) => void;
}

interface ChannelEntry {
  handlers: Set<(message: string) => void>;
  /** Settles when Redis has confirmed the SUBSCRIBE, so a subscriber misses nothing published afterwards. */
  subscribed: Promise<unknown>;
}

/** Publish/subscribe over Redis, with one lazily created subscriber connection. */
export interface RedisPubSub {
  publish(channel: string, message: string): Promise<void>;
  subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/**
 * Pub/sub for the Redis plane. A connection in subscriber mode can run no other
 * command, so subscriptions use a second connection, `redis.duplicate()`, made on
 * the first subscribe: a process that never listens never opens it.
 *
 * ioredis prefixes keys, not channel names, so channels are prefixed here with the
 * client's keyPrefix: instances sharing a prefix hear each other, and deployments
 * (or test apps) with different prefixes on one Redis do not.
 */
export function createRedisPubSub(redis: Redis, options: RedisPubSubOptions = {}): RedisPubSub {
  const prefix = typeof redis.options.keyPrefix === 'string' ? redis.options.keyPrefix : '';
  const channels = new Map<string, ChannelEntry>();
  let subscriber: Promise<Redis> | null = null;
  let closed = false;

  function dispatch(fullChannel: string, message: string): void {
    const entry = channels.get(fullChannel);
    if (!entry) return;
    for (const handler of [...entry.handlers]) {
      try {
        handler(message);
      } catch (error) {
        options.onHandlerError?.(error, fullChannel.slice(prefix.length));
      }
    }
  }

  // SUBSCRIBE and UNSUBSCRIBE go out one at a time, in call order, so a quick
  // unsubscribe-then-subscribe of one channel cannot end unsubscribed.
  let queue: Promise<unknown> = Promise.resolve();
  function serially<T>(op: () => Promise<T>): Promise<T> {
    const result = queue.then(op);
    queue = result.catch(() => undefined);
    return result;
  }

  function connect(): Promise<Redis> {
    if (subscriber) return subscriber;
    const connection = redis.duplicate();
    connection.on('error', (error: Error) => options.onConnectionError?.(error));
    connection.on('message', dispatch);
    subscriber = waitForRedis(connection).then(
      () => connection,
      (error: unknown) => {
        // Let the next subscribe try again with a fresh connection.
        subscriber = null;
        connection.disconnect();
        throw error;
      },
    );
    return subscriber;
  }

  return {
    async publish(channel, message) {
      await redis.publish(prefix + channel, message);
    },

    async subscribe(channel, handler) {
      if (closed) throw new Error('the plane is closed');
      const full = prefix + channel;
      let entry = channels.get(full);
      if (!entry) {
        const subscribed = serially(async () => (await connect()).subscribe(full));
        entry = { handlers: new Set(), subscribed };
        channels.set(full, entry);
        subscribed.catch(() => {
          // A failed SUBSCRIBE must not leave a channel that looks subscribed.
          if (channels.get(full)?.subscribed === subscribed) channels.delete(full);
        });
      }
      const current = entry;
      // A fresh wrapper per call, so subscribing one function twice needs two unsubscribes.
      const own = (message: string) => handler(message);
      current.handlers.add(own);
      try {
        await current.subscribed;
      } catch (error) {
        current.handlers.delete(own);
        throw error;
      }
      return async () => {
        if (!current.handlers.delete(own) || current.handlers.size > 0) return;
        if (channels.get(full) !== current) return;
        channels.delete(full);
        await serially(async () => {
          // Someone subscribed again meanwhile: their SUBSCRIBE is queued after us, keep the channel.
          if (channels.has(full)) return;
          // The last handler is gone: stop Redis sending this channel at all.
          const connection = await subscriber;
          await connection?.unsubscribe(full);
        });
      };
    },

    async close() {
      closed = true;
      channels.clear();
      const pending = subscriber;
      subscriber = null;
      if (!pending) return;
      const connection = await pending.catch(() => null);
      if (!connection) return;
      try {
        await connection.quit();
      } catch {
        // Not connected right now: nothing to say goodbye to.
        connection.disconnect();
      }
    },
  };
}
