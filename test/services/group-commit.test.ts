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
});
