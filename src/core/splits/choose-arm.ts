import { percentTenths } from '../schemas/split.js';
import { quotaSequence } from './quota-sequence.js';

export interface WeightedArm {
  readonly label: string;
  readonly percent: number;
}

/**
 * The arm of a split that the `counter`-th call (1, 2, 3, ... from one shared atomic
 * counter) goes to. Pure: every instance that reads the same counter value picks the same
 * arm, so after N calls each arm has had within one of N·percent/100 of them, however the
 * calls were spread over instances.
 */
export function chooseSplitArm<A extends WeightedArm>(arms: readonly A[], counter: number): { index: number; arm: A } {
  const cycle = quotaSequence(arms.map((a) => percentTenths(a.percent)));
  const step = Math.max(1, Math.floor(counter)) - 1;
  const index = cycle[step % cycle.length]!;
  return { index, arm: arms[index]! };
}
