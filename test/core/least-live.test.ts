import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderCandidates } from '../../src/core/strategies/order-candidates.js';
import { preferReturningCaller } from '../../src/core/strategies/prefer-returning-caller.js';
import type { MemberState } from '../../src/core/strategies/types.js';

function member(agentId: number, over: Partial<MemberState> = {}): MemberState {
  return { agentId, priority: 1, capacity: 1, enabled: true, healthy: true, activeCalls: 0, maxConcurrentCalls: null, windowCalls: 0, lastChosenAt: null, ...over };
}

const leastLive = (members: MemberState[], counter = 1) => orderCandidates('least_live', members, counter);

describe('least live calls', () => {
  it('puts the member with the fewest calls in progress first, the rest by load as the failover order', () => {
    const members = [member(1, { activeCalls: 5 }), member(2, { activeCalls: 0 }), member(3, { activeCalls: 2 })];
    expect(leastLive(members).candidates).toEqual([2, 3, 1]);
  });

  it('weighs calls in progress by capacity: 3 calls on capacity 4 is lighter than 1 call on capacity 1', () => {
    const members = [member(1, { activeCalls: 1 }), member(2, { activeCalls: 3, capacity: 4 })];
    expect(leastLive(members).candidates).toEqual([2, 1]);
  });

  it('ignores the rolling window and priority: only live calls count', () => {
    const members = [member(1, { activeCalls: 1, windowCalls: 0, priority: 1 }), member(2, { activeCalls: 0, windowCalls: 500, priority: 9 })];
    expect(leastLive(members).candidates).toEqual([2, 1]);
  });

  it('rotates members with equal load by the shared counter, so ties spread evenly', () => {
    const members = [member(1, { activeCalls: 2 }), member(2), member(3), member(4)];
    const firsts = [1, 2, 3, 4, 5, 6].map((n) => leastLive(members, n).candidates);
    expect(firsts.map((c) => c[0])).toEqual([2, 3, 4, 2, 3, 4]);
    // The busier member stays last whatever the counter.
    for (const c of firsts) expect(c.at(-1)).toBe(1);
  });

  it('does not depend on the order the members arrive in (every instance agrees)', () => {
    const members = [member(1, { activeCalls: 1 }), member(2), member(3, { activeCalls: 1 }), member(4)];
    fc.assert(
      fc.property(fc.shuffledSubarray(members, { minLength: members.length }), fc.integer({ min: 1, max: 1000 }), (shuffled, n) => {
        expect(leastLive(shuffled, n).candidates).toEqual(leastLive(members, n).candidates);
      }),
    );
  });

  it('skips disabled, unhealthy and full members, with why', () => {
    const order = leastLive([member(1, { enabled: false }), member(2, { healthy: false }), member(3, { maxConcurrentCalls: 2, activeCalls: 2 }), member(4, { activeCalls: 9 })]);
    expect(order.candidates).toEqual([4]);
    expect(order.skipped).toEqual([
      { agentId: 1, reason: 'disabled' },
      { agentId: 2, reason: 'unhealthy' },
      { agentId: 3, reason: 'at_capacity' },
    ]);
  });

  it('law: the candidates are sorted by calls per capacity, and never mutate the input', () => {
    const arb = fc.array(fc.record({ activeCalls: fc.integer({ min: 0, max: 20 }), capacity: fc.integer({ min: 1, max: 5 }) }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(arb, fc.integer({ min: 1, max: 10_000 }), (specs, n) => {
        const members = Object.freeze(specs.map((s, i) => Object.freeze(member(i + 1, s))));
        const load = new Map(members.map((m) => [m.agentId, m.activeCalls / m.capacity]));
        const loads = leastLive([...members], n).candidates.map((id) => load.get(id)!);
        expect(loads).toEqual([...loads].sort((a, b) => a - b));
      }),
    );
  });
});

describe('returning callers', () => {
  const HOUR = 3_600_000;
  const members = [member(1), member(2, { healthy: false }), member(3, { maxConcurrentCalls: 1, activeCalls: 1 }), member(4, { enabled: false }), member(5, { activeCalls: 3 })];
  const order = leastLive(members);
  const prefer = (agentId: number | null, servedAt: number | null, now = 10 * HOUR) => preferReturningCaller(order, members, { agentId, servedAt }, now, HOUR);

  it('sends the caller back to the agent that last served them within the TTL, the rest as failover', () => {
    const { order: sticky, sticky: outcome } = prefer(5, 10 * HOUR - 60_000);
    expect(sticky.candidates).toEqual([5, 1]);
    expect(outcome).toEqual({ agentId: 5, used: true, reason: 'returning_caller' });
  });

  it('forgets the caller once the TTL has passed, and knows no caller it never served', () => {
    expect(prefer(5, 9 * HOUR)).toEqual({ order, sticky: null });
    expect(prefer(null, null)).toEqual({ order, sticky: null });
  });

  it('prefers but never requires: an unhealthy, full, disabled or departed agent leaves the strategy to decide', () => {
    const recent = 10 * HOUR - 1;
    expect(prefer(2, recent)).toEqual({ order, sticky: { agentId: 2, used: false, reason: 'sticky_agent_unhealthy' } });
    expect(prefer(3, recent)).toEqual({ order, sticky: { agentId: 3, used: false, reason: 'sticky_agent_full' } });
    expect(prefer(4, recent)).toEqual({ order, sticky: { agentId: 4, used: false, reason: 'sticky_agent_disabled' } });
    expect(prefer(99, recent)).toEqual({ order, sticky: { agentId: 99, used: false, reason: 'sticky_agent_not_member' } });
  });
});
