import { describe, expect, it } from 'vitest';
import { inboundRuleBody } from '../../src/core/schemas/routing-rules.js';
import { chooseSplitArm } from '../../src/core/splits/choose-arm.js';
import { armStats, verdictOf, MIN_CALLS_PER_ARM } from '../../src/core/splits/compare-arms.js';
import { quotaSequence } from '../../src/core/splits/quota-sequence.js';
import { histogramMedian } from '../../src/core/stats/histogram-median.js';
import { wilsonInterval } from '../../src/core/stats/wilson-interval.js';

/** Weight sets (tenths of a percent) chosen to be awkward: primes, a 0.1% arm, ten arms, thirds. */
const AWKWARD: number[][] = [
  [700, 300],
  [1, 999],
  [333, 333, 334],
  [427, 11, 50, 64, 2, 145, 8, 293],
  [40, 214, 77, 523, 43, 103],
  [100, 100, 100, 100, 100, 100, 100, 100, 100, 100],
  [505, 495],
];

describe('split sequence', () => {
  it.each(AWKWARD)('after every N calls each arm has within 1 of N·share (weights %s ...)', (...weights) => {
    const total = weights.reduce((s, w) => s + w, 0);
    const counts = weights.map(() => 0);
    let worst = 0;
    // Two and a half cycles: the sequence repeats, and a prefix can end anywhere in it.
    for (let n = 1; n <= 2500; n++) {
      counts[chooseSplitArm(weights.map((w, i) => ({ label: String(i), percent: w / 10 })), n).index]! += 1;
      for (const [i, w] of weights.entries()) worst = Math.max(worst, Math.abs(counts[i]! - (n * w) / total));
    }
    expect(worst).toBeLessThan(1);
  });

  it('holds for 300 random splits of 2 to 10 arms (seeded)', () => {
    let seed = 21;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let t = 0; t < 300; t++) {
      const n = 2 + Math.floor(random() * 9);
      const cuts = [...new Set(Array.from({ length: n - 1 }, () => 1 + Math.floor(random() * 998)))].sort((a, b) => a - b);
      const weights = [...cuts, 1000].map((c, i, all) => c - (i === 0 ? 0 : all[i - 1]!));
      const cycle = quotaSequence(weights);
      const counts = weights.map(() => 0);
      let worst = 0;
      for (const [k, arm] of cycle.entries()) {
        counts[arm]! += 1;
        for (const [i, w] of weights.entries()) worst = Math.max(worst, Math.abs(counts[i]! - ((k + 1) * w) / 1000));
      }
      expect(worst).toBeLessThan(1);
      expect(counts.map((c) => c * (1000 / cycle.length))).toEqual(weights);
    }
  });

  it('70/30 spreads the B calls out (no runs of B) and is the same for the same counter on any instance', () => {
    const arms = [
      { label: 'A', percent: 70 },
      { label: 'B', percent: 30 },
    ];
    const labels = Array.from({ length: 10 }, (_, i) => chooseSplitArm(arms, i + 1).arm.label).join('');
    expect(labels).not.toMatch(/BB/);
    expect([...labels].filter((l) => l === 'B')).toHaveLength(3);
    expect(chooseSplitArm(arms, 123_457).arm.label).toBe(chooseSplitArm(arms, 123_457).arm.label);
    expect(chooseSplitArm(arms, 0).index).toBe(chooseSplitArm(arms, 1).index);
  });
});

describe('Wilson interval', () => {
  it('matches published values', () => {
    // 81 of 263: 0.2553..0.3662 (Wilson, z=1.96; e.g. Newcombe 1998, Brown-Cai-DasGupta 2001 tables).
    const i = wilsonInterval(81, 263)!;
    expect(i.low).toBeCloseTo(0.2553, 3);
    expect(i.high).toBeCloseTo(0.3662, 3);
    const none = wilsonInterval(0, 10)!;
    expect(none.low).toBe(0);
    expect(none.high).toBeCloseTo(0.2775, 3);
    const all = wilsonInterval(10, 10)!;
    expect(all.high).toBe(1);
    expect(all.low).toBeCloseTo(0.7225, 3);
    expect(wilsonInterval(0, 0)).toBeNull();
  });
});

describe('median of a histogram', () => {
  it('is the middle value, or the mean of the two middle ones', () => {
    expect(histogramMedian([])).toBeNull();
    expect(histogramMedian([[7, 1]])).toBe(7);
    expect(histogramMedian([[30, 1], [10, 1], [20, 1]])).toBe(20);
    expect(histogramMedian([[10, 2], [20, 2]])).toBe(15);
    expect(histogramMedian([[5, 3], [100, 1]])).toBe(5);
    expect(histogramMedian([[1, 1], [2, 0], [9, 1]])).toBe(5);
    // The same as sorting the values out.
    const values = [3, 3, 4, 8, 8, 8, 15, 60, 61, 61];
    const bins = [...new Set(values)].map((v) => [v, values.filter((x) => x === v).length] as const);
    expect(histogramMedian(bins)).toBe(8);
  });
});

describe('arm statistics and verdict', () => {
  it('answer rate, billsec average and median, short share', () => {
    const s = armStats({ label: 'A', calls: 10, answered: 4, billsec: [[3, 1], [30, 2], [60, 1]] });
    expect(s).toMatchObject({ answer_rate: 0.4, duration_sample: 4, avg_billsec: 30.8, median_billsec: 30, short_calls: 1, short_call_share: 0.25 });
    expect(armStats({ label: 'A', calls: 10, answered: 4, billsec: [[3, 1], [30, 3]] }, 5).short_calls).toBe(1);
    expect(armStats({ label: 'B', calls: 0, answered: 0, billsec: [] })).toMatchObject({ answer_rate: null, answer_rate_ci95: null, avg_billsec: null, median_billsec: null });
  });

  it('says plainly when the sample is too small, when intervals overlap, and when one arm is clearly better', () => {
    const arm = (label: string, calls: number, answered: number) => armStats({ label, calls, answered, billsec: [] });
    expect(verdictOf([arm('A', MIN_CALLS_PER_ARM - 1, 20), arm('B', 500, 100)])).toMatchObject({ kind: 'too_small' });
    expect(verdictOf([arm('A', 100, 52), arm('B', 100, 48)])).toMatchObject({ kind: 'no_difference' });
    expect(verdictOf([arm('A', 1000, 800), arm('B', 1000, 600)])).toMatchObject({ kind: 'better', label: 'A' });
  });
});

describe('split rule body', () => {
  const base = { pattern: '+1212*', target_type: 'split' };
  const arm = (label: string, percent: number, id = 1) => ({ label, target: { type: 'agent', id }, percent });
  const fields = (body: unknown) => {
    const r = inboundRuleBody.safeParse(body);
    return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join('.'), i.message]));
  };

  it('takes 2–10 arms with integer or one-decimal percents adding up to 100', () => {
    expect(fields({ ...base, split: [arm('A', 70), arm('B', 30)] })).toEqual({});
    expect(fields({ ...base, split: [arm('A', 33.3), arm('B', 33.3), arm('C', 33.4)] })).toEqual({});
  });

  it('names what is wrong', () => {
    expect(fields({ ...base, split: [arm('A', 100)] })).toEqual({ split: 'needs at least 2 arms' });
    expect(fields({ ...base, split: Array.from({ length: 11 }, (_, i) => arm(`L${i}`, i === 0 ? 0 : 10)) })).toHaveProperty('split', 'may have at most 10 arms');
    expect(fields({ ...base, split: [arm('A', 70), arm('B', 20)] })).toEqual({ split: 'percents must add up to 100 (they add up to 90)' });
    expect(fields({ ...base, split: [arm('A', 70.25), arm('B', 29.75)] })).toHaveProperty('split.0.percent', 'may have at most one decimal (e.g. 33.3)');
    expect(fields({ ...base, split: [arm('A', 50), arm('a', 50)] })).toEqual({ 'split.1.label': 'repeats the label of arm 1; labels must be unique' });
    expect(fields({ ...base, split: [arm('A', 0), arm('B', 100)] })).toHaveProperty('split.0.percent', 'must be more than 0');
    expect(fields({ ...base })).toEqual({ split: 'is required when target_type is split' });
    expect(fields({ ...base, target_id: 3, split: [arm('A', 50), arm('B', 50)] })).toHaveProperty('target_id');
    expect(fields({ pattern: '+1*', target_type: 'agent', target_id: 1, split: [arm('A', 50), arm('B', 50)] })).toEqual({ split: 'is only for target_type split' });
    expect(fields({ ...base, split: [{ label: 'A', target: { type: 'queue', id: 1 }, percent: 50 }, arm('B', 50)] })).toHaveProperty('split.0.target.type', 'must be agent or group');
  });
});
