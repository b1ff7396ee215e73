import type { Logger } from './logger.js';

type Level = 'info' | 'warn' | 'error';

interface Window {
  level: Level;
  fields: Record<string, unknown>;
  count: number;
  startedAt: number;
  timer: NodeJS.Timeout;
}

/**
 * For conditions that repeat while they last (a reconnect that keeps failing, Redis
 * answering nothing): the first occurrence of a message is logged at once, later
 * ones are counted, and each interval that had any ends with one line giving the
 * count (`repeated`) and the latest details. A quiet interval closes the window, so
 * the next occurrence is logged at once again. An outage is a few lines, not one per
 * request.
 */
export function createRepeatedLog(logger: Logger, everyMs = 30_000) {
  const windows = new Map<string, Window>();

  function open(message: string, level: Level, fields: Record<string, unknown>): void {
    const timer = setTimeout(() => close(message), everyMs);
    // Bookkeeping must never keep a process alive.
    timer.unref();
    windows.set(message, { level, fields, count: 0, startedAt: Date.now(), timer });
  }

  function close(message: string): void {
    const window = windows.get(message);
    if (!window) return;
    windows.delete(message);
    if (window.count === 0) return;
    logger[window.level]({ ...window.fields, repeated: window.count, over_ms: Date.now() - window.startedAt }, `${message} (repeated)`);
    // Still happening: the next interval is counted too.
    open(message, window.level, window.fields);
  }

  function note(level: Level, message: string, fields: Record<string, unknown>): void {
    const window = windows.get(message);
    if (window) {
      window.count += 1;
      window.fields = fields;
      return;
    }
    logger[level](fields, message);
    open(message, level, fields);
  }

  return {
    info: (message: string, fields: Record<string, unknown> = {}) => note('info', message, fields),
    warn: (message: string, fields: Record<string, unknown> = {}) => note('warn', message, fields),
    error: (message: string, fields: Record<string, unknown> = {}) => note('error', message, fields),
    /** Logs what is still counted and stops the timers. */
    flush(): void {
      for (const [message, window] of [...windows]) {
        clearTimeout(window.timer);
        windows.delete(message);
        if (window.count > 0) logger[window.level]({ ...window.fields, repeated: window.count, over_ms: Date.now() - window.startedAt }, `${message} (repeated)`);
      }
    },
  };
}
export type RepeatedLog = ReturnType<typeof createRepeatedLog>;
