import { describe, expect, it } from 'vitest';
import { createGroupCommit } from '../../src/services/group-commit.js';

describe('group commit', () => {
  it('writes callers of the same moment in one batch, in order, each getting its own result', async () => {
    const batches: number[][] = [];
    const commit = createGroupCommit<number, number>({
      writeBatch: async (items) => {
        batches.push([...items]);
        return items.map((n) => n * 10);
      },
      writeOne: async (n) => n * 10,
      maxBatch: 4,
    });
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => commit.write(n)));
    expect(results).toEqual([10, 20, 30, 40, 50, 60]);
    expect(batches).toEqual([[1, 2, 3, 4], [5, 6]]);
    expect(await commit.write(7)).toBe(70);
  });

  it('a failing batch is retried item by item, so only the bad item fails', async () => {
    const commit = createGroupCommit<number, number>({
      writeBatch: async (items) => {
        if (items.includes(13)) throw new Error('constraint');
        return [...items];
      },
      writeOne: async (n) => {
        if (n === 13) throw new Error('constraint');
        return n;
      },
      maxBatch: 100,
    });
    const settled = await Promise.allSettled([12, 13, 14].map((n) => commit.write(n)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await commit.write(15)).toBe(15);
  });

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  function recording(holdMs: number) {
    const batches: number[][] = [];
    const commit = createGroupCommit<number, number>({
      writeBatch: async (items) => {
        batches.push([...items]);
        return [...items];
      },
      writeOne: async (n) => n,
      maxBatch: 100,
      holdMs,
    });
    return { batches, commit };
  }

  it('while calls arrive together, the next batch is held open so the calls of the next moments share its commit', async () => {
    const { batches, commit } = recording(200);
    await Promise.all([commit.write(1), commit.write(2)]);
    // Arrive 20 ms apart: without the hold each would have had a commit of its own.
    const later = [commit.write(3), sleep(20).then(() => commit.write(4)), sleep(40).then(() => commit.write(5))];
    expect(await Promise.all(later)).toEqual([3, 4, 5]);
    expect(batches).toEqual([[1, 2], [3, 4, 5]]);
  });

  it('a call arriving alone is not held, nor one arriving well after the last busy moment', async () => {
    const { batches, commit } = recording(5_000);
    let started = performance.now();
    expect(await commit.write(1)).toBe(1);
    expect(performance.now() - started).toBeLessThan(1_000);
    await Promise.all([commit.write(2), commit.write(3)]);
    await sleep(100);
    started = performance.now();
    expect(await commit.write(4)).toBe(4);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(batches).toEqual([[1], [2, 3], [4]]);
  });
});
