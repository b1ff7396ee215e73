import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderCandidates } from '../../src/core/strategies/order-candidates.js';
import { smoothWeightedSequence } from '../../src/core/strategies/smooth-weighted-sequence.js';
import type { MemberState } from '../../src/core/strategies/types.js';

function member(agentId: number, over: Partial<MemberState> = {}): MemberState {
  return { agentId, priority: 1, capacity: 1, enabled: true, healthy: true, activeCalls: 0, maxConcurrentCalls: null, windowCalls: 0, lastChosenAt: null, ...over };
}

function firstPicks(members: MemberState[], strategy: 'round_robin' | 'priority', from: number, count: number): Map<number, number> {
  const tally = new Map<number, number>();
  for (let n = from; n < from + count; n++) {
    const first = orderCandidates(strategy, members, n).candidates[0];
    if (first !== undefined) tally.set(first, (tally.get(first) ?? 0) + 1);
  }
  return tally;
}

describe('smooth weighted sequence', () => {
  it('spreads picks instead of running them together', () => {
    expect(smoothWeightedSequence([5, 1, 1])).toEqual([0, 0, 1, 0, 2, 0, 0]);
    expect(smoothWeightedSequence([1, 1, 1])).toEqual([0, 1, 2]);
  });

  it('is reduced by the common divisor', () => {
    expect(smoothWeightedSequence([10, 20, 30])).toEqual(smoothWeightedSequence([1, 2, 3]));
  });

  it('law: over one cycle, member i appears exactly weight_i / gcd times', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 8 }), (weights) => {
        const cycle = smoothWeightedSequence(weights);
        const g = weights.reduce((a, b) => { let x = a, y = b; while (y) [x, y] = [y, x % y]; return x; });
        weights.forEach((w, i) => expect(cycle.filter((c) => c === i).length).toBe(w / g));
      }),
    );
  });
});

describe('round robin', () => {
  it('rotates evenly over equal members and lists the rest as failover', () => {
    const members = [member(3), member(1), member(2)];
    expect(orderCandidates('round_robin', members, 1).candidates).toEqual([1, 2, 3]);
    expect(orderCandidates('round_robin', members, 2).candidates).toEqual([2, 3, 1]);
    expect(orderCandidates('round_robin', members, 3).candidates).toEqual([3, 1, 2]);
    expect(orderCandidates('round_robin', members, 4).candidates).toEqual([1, 2, 3]);
  });

  it('law: any window of a whole number of cycles is exactly fair by capacity', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 4 }),
        (capacities, start, cycles) => {
          const members = capacities.map((c, i) => member(i + 1, { capacity: c }));
          const total = smoothWeightedSequence(capacities).length;
          const tally = firstPicks(members, 'round_robin', start, total * cycles);
          const g = total / capacities.reduce((s, c) => s + c, 0);
          members.forEach((m) => expect(tally.get(m.agentId) ?? 0).toBe(m.capacity * g * cycles));
        },
      ),
    );
  });

  it('capacities 1/2/3 give 500/1000/1500 of 3000', () => {
    const tally = firstPicks([member(1, { capacity: 1 }), member(2, { capacity: 2 }), member(3, { capacity: 3 })], 'round_robin', 1, 3000);
    expect([tally.get(1), tally.get(2), tally.get(3)]).toEqual([500, 1000, 1500]);
  });

  it('skips disabled, unhealthy and capped members, saying why', () => {
    const order = orderCandidates('round_robin', [member(1, { enabled: false }), member(2, { healthy: false }), member(3, { maxConcurrentCalls: 2, activeCalls: 2 }), member(4)], 1);
    expect(order.candidates).toEqual([4]);
    expect(order.skipped).toEqual([
      { agentId: 1, reason: 'disabled' },
      { agentId: 2, reason: 'unhealthy' },
      { agentId: 3, reason: 'at_capacity' },
    ]);
  });

  it('answers an empty list when everyone is at their cap', () => {
    const order = orderCandidates('round_robin', [member(1, { maxConcurrentCalls: 1, activeCalls: 1 }), member(2, { maxConcurrentCalls: 3, activeCalls: 5 })], 7);
    expect(order.candidates).toEqual([]);
    expect(order.skipped.map((s) => s.reason)).toEqual(['at_capacity', 'at_capacity']);
  });
});

describe('priority', () => {
  it('sends everything to the lowest priority value, the others follow in order', () => {
    const members = [member(1, { priority: 2 }), member(2, { priority: 1 }), member(3, { priority: 3 })];
    for (let n = 1; n < 20; n++) expect(orderCandidates('priority', members, n).candidates).toEqual([2, 1, 3]);
  });

  it('falls to priority 2 when priority 1 is toggled off', () => {
    const members = [member(1, { priority: 2 }), member(2, { priority: 1, enabled: false })];
    expect(orderCandidates('priority', members, 1).candidates).toEqual([1]);
  });

  it('splits evenly between members sharing the top priority', () => {
    const tally = firstPicks([member(1), member(2), member(3, { priority: 5 })], 'priority', 1, 1000);
    expect([tally.get(1), tally.get(2), tally.get(3) ?? 0]).toEqual([500, 500, 0]);
  });

  it('law: the first candidate always has the lowest priority among eligible members', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ priority: fc.integer({ min: 1, max: 4 }), enabled: fc.boolean() }), { minLength: 1, maxLength: 8 }), fc.nat(), (specs, n) => {
        const members = specs.map((s, i) => member(i + 1, s));
        const order = orderCandidates('priority', members, n + 1);
        const eligible = members.filter((m) => m.enabled);
        if (eligible.length === 0) {
          expect(order.candidates).toEqual([]);
          return;
        }
        const best = Math.min(...eligible.map((m) => m.priority));
        expect(members.find((m) => m.agentId === order.candidates[0])?.priority).toBe(best);
        expect(order.candidates).toHaveLength(eligible.length);
      }),
    );
  });
});

describe('load balanced', () => {
  it('picks the least loaded relative to capacity', () => {
    const members = [member(1, { windowCalls: 10, capacity: 1 }), member(2, { windowCalls: 15, capacity: 3 }), member(3, { windowCalls: 8, capacity: 2 })];
    expect(orderCandidates('load_balanced', members, 0).candidates).toEqual([3, 2, 1]);
  });

  it('breaks ties by least recently chosen, never-chosen first', () => {
    const members = [member(1, { lastChosenAt: 200 }), member(2, { lastChosenAt: 100 }), member(3)];
    expect(orderCandidates('load_balanced', members, 0).candidates).toEqual([3, 2, 1]);
  });

  it('after a skewed history, new calls go to the least loaded until they even out', () => {
    const load = new Map([[1, 30], [2, 0], [3, 10]]);
    const picks: number[] = [];
    for (let call = 0; call < 50; call++) {
      const members = [...load].map(([id, calls]) => member(id, { windowCalls: calls, lastChosenAt: picks.lastIndexOf(id) === -1 ? null : picks.lastIndexOf(id) }));
      const pick = orderCandidates('load_balanced', members, 0).candidates[0]!;
      picks.push(pick);
      load.set(pick, load.get(pick)! + 1);
    }
    expect(picks.slice(0, 10)).toEqual([2, 2, 2, 2, 2, 2, 2, 2, 2, 2]); // agent 2 catches up with agent 3 first
    expect(picks.slice(0, 50).filter((p) => p === 1)).toHaveLength(0); // agent 1 stays the most loaded
    expect([...load.values()]).toEqual([30, 30, 30]);
  });

  it('never proposes a member at its concurrency cap', () => {
    const order = orderCandidates('load_balanced', [member(1, { maxConcurrentCalls: 1, activeCalls: 1 }), member(2, { windowCalls: 100 })], 0);
    expect(order.candidates).toEqual([2]);
  });
});
