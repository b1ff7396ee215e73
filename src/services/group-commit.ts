interface Waiting<I, R> {
  item: I;
  resolve: (result: R) => void;
  reject: (err: unknown) => void;
}

export interface GroupCommitOptions<I, R> {
  /** Writes many items in one transaction; results in the items' order. */
  writeBatch: (items: readonly I[]) => Promise<R[]>;
  /** Writes one item alone: used when a batch fails, so one bad item cannot fail the others. */
  writeOne: (item: I) => Promise<R>;
  maxBatch: number;
  /** How long a batch is held open while calls arrive together; HOLD_UNDER_LOAD_MS unless given (0: never). */
  holdMs?: number;
}

/**
 * While calls arrive together (the last batch, taken moments ago, had more than one), the
 * next batch waits this long for more before it is written. A commit has a fixed cost that
 * its calls share: on a SQLite file the hand-off to the writer thread and a WAL frame for
 * every page it dirties (bench/sqlite-write-path.ts: ~240 µs of CPU for a call alone, ~90
 * each for four, ~55 each for sixteen); on a network database a round trip. Nobody is
 * answered before their own commit, so this costs latency, never durability; a call
 * arriving alone is not held.
 */
export const HOLD_UNDER_LOAD_MS = 2;
/** A batch taken longer ago than this says nothing about the calls arriving now. */
const LOAD_MEMORY_MS = 50;

/**
 * Group commit: callers that write at about the same time share one transaction,
 * and each still waits for its own row to be committed before it answers. Under
 * load this turns a commit per call into a commit per batch: what arrived while the
 * previous one was written, and for HOLD_UNDER_LOAD_MS more; alone, a call waits only
 * until the next turn.
 */
export function createGroupCommit<I, R>({ writeBatch, writeOne, maxBatch, holdMs = HOLD_UNDER_LOAD_MS }: GroupCommitOptions<I, R>) {
  let queue: Waiting<I, R>[] = [];
  let running = false;
  /** When the last batch with company was taken (-Infinity: none yet). */
  let lastSharedAt = -Infinity;

  function arrivingTogether(): boolean {
    return holdMs > 0 && queue.length < maxBatch && performance.now() - lastSharedAt < LOAD_MEMORY_MS;
  }

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      if (arrivingTogether()) await new Promise((r) => setTimeout(r, holdMs));
      const batch = queue.slice(0, maxBatch);
      if (batch.length > 1) lastSharedAt = performance.now();
      queue = queue.slice(batch.length);
      try {
        const results = await writeBatch(batch.map((w) => w.item));
        batch.forEach((w, i) => w.resolve(results[i] as R));
      } catch {
        await Promise.all(batch.map((w) => writeOne(w.item).then(w.resolve, w.reject)));
      }
    }
  }

  function start(): void {
    running = true;
    // setImmediate: every request already parsed in this turn joins the batch.
    setImmediate(() => {
      void drain().finally(() => {
        running = false;
        if (queue.length > 0) start();
      });
    });
  }

  return {
    write(item: I): Promise<R> {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        if (!running) start();
      });
    },
  };
}
