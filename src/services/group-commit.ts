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
}

/**
 * Group commit: callers that write at about the same time share one transaction,
 * and each still waits for its own row to be committed before it answers. Under
 * load this turns a commit per call into a commit per event-loop turn (or per
 * round trip on a network database); alone, a call waits only until the next turn.
 */
export function createGroupCommit<I, R>({ writeBatch, writeOne, maxBatch }: GroupCommitOptions<I, R>) {
  let queue: Waiting<I, R>[] = [];
  let running = false;

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
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
