import { leastLive } from './least-live.js';
import { loadBalanced } from './load-balanced.js';
import { priority } from './priority.js';
import { roundRobin } from './round-robin.js';
import type { CandidateOrder, MemberState, StrategyName } from './types.js';

/**
 * Where a routing decision is made: the group's strategy orders its members.
 * `counter` is the group's shared rotation counter (ignored by load_balanced).
 */
export function orderCandidates(strategy: StrategyName, members: readonly MemberState[], counter: number): CandidateOrder {
  switch (strategy) {
    case 'round_robin':
      return roundRobin(members, counter);
    case 'priority':
      return priority(members, counter);
    case 'load_balanced':
      return loadBalanced(members);
    case 'least_live':
      return leastLive(members, counter);
  }
}
