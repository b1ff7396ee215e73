import type { Clock } from './clock.js';

/**
 * Whether this instance is shutting down. Set once, by the signal handler (cli/serve.ts);
 * read by `/ready` (503 from that moment, so load balancers stop sending), by the HTTP
 * layer (responses close their connection, so clients reconnect elsewhere) and by the
 * `vlb_ready` gauge. It never goes back: a draining process only exits.
 */
export function createDrainState(clock: Clock) {
  let since: number | null = null;
  const listeners = new Set<() => void>();
  return {
    get draining(): boolean {
      return since !== null;
    },
    /** When draining began (ms since the epoch), or null. */
    get since(): number | null {
      return since;
    },
    /** Starts draining; true the first time only (a second signal changes nothing here). */
    begin(): boolean {
      if (since !== null) return false;
      since = clock();
      for (const listener of listeners) listener();
      return true;
    },
    /** Called once when draining begins; returns the unsubscribe. */
    onDrain(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
export type DrainState = ReturnType<typeof createDrainState>;
