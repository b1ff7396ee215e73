import { isDatabaseUnavailable } from '../../store/dialect.js';
import type { Logger } from '../logger.js';

/** Writes held at most: beyond it the oldest is given up (logged), so an outage cannot exhaust memory. */
const MAX_HELD = 50_000;
const RETRY_EVERY_MS = 1_000;
/**
 * At shutdown, how long held writes are still retried while the database is away (a restart
 * during a failover): they were acknowledged, so they are worth waiting for, within the
 * shutdown's bound (SHUTDOWN_TIMEOUT_MS, 25 s by default, also holds the audit writer's wait and the drain).
 */
export const CLOSE_RETRY_MS = 6_000;

/**
 * Writes the database could not take because it was away (a failover, a restart):
 * kept in memory and retried every second, in order, until they land. A write that
 * fails for another reason is a bug: it is logged and dropped, so it cannot block
 * the ones behind it.
 */
export function createDeferredWrites<T>(name: string, write: (item: T) => Promise<void>, logger: Logger) {
  let held: T[] = [];
  let givenUp = 0;
  let everHeld = 0;
  let flushing: Promise<void> | null = null;
  const timer = setInterval(() => void flush(), RETRY_EVERY_MS);
  timer.unref();

  async function flush(): Promise<void> {
    if (flushing) return flushing;
    if (held.length === 0) return;
    flushing = (async () => {
      const started = held.length;
      while (held.length > 0) {
        const item = held[0] as T;
        try {
          await write(item);
        } catch (err) {
          if (isDatabaseUnavailable(err)) return; // still away: the rest waits for the next round
          logger.error({ err, writes: name }, 'a deferred write failed for good; dropped');
        }
        held.shift();
      }
      logger.info({ writes: name, written: started }, 'deferred writes landed after the database came back');
    })().finally(() => {
      flushing = null;
    });
    return flushing;
  }

  return {
    /** Holds a write for later (the database was unavailable when it was tried). */
    hold(item: T): void {
      if (held.length >= MAX_HELD) {
        held = held.slice(1);
        givenUp += 1;
        if (givenUp % 1000 === 1) logger.error({ writes: name, givenUp }, 'too many writes held while the database is away; the oldest are given up');
      }
      if (held.length === 0) logger.warn({ writes: name }, 'database unavailable; holding writes until it returns');
      held.push(item);
      everHeld += 1;
    },
    get size(): number {
      return held.length;
    },
    /** How many writes were ever held (for measurements). */
    get everHeld(): number {
      return everHeld;
    },
    flush,
    async close(): Promise<void> {
      clearInterval(timer);
      await flush();
      for (const until = Date.now() + CLOSE_RETRY_MS; held.length > 0 && Date.now() < until; ) {
        await new Promise((r) => setTimeout(r, RETRY_EVERY_MS));
        await flush();
      }
      if (held.length > 0) logger.error({ writes: name, lost: held.length }, 'shutting down with writes the database never took');
    },
  };
}
export type DeferredWrites<T> = ReturnType<typeof createDeferredWrites<T>>;
