import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesPattern } from '../../src/core/routing/number-pattern.js';
import {
  compileInboundRules,
  compileOutboundRules,
  findMatchingOutboundRule,
  findMatchingRule,
  orderRules,
  reorderProblem,
  type InboundRule,
  type OutboundRule,
} from '../../src/core/routing/order-rules.js';
import { trunksAttribute } from '../../src/core/routing/trunks-attribute.js';

/** Small alphabets so that random numbers often match random patterns. */
const digit = fc.constantFrom('1', '2');
const digits = (min: number, max: number) => fc.array(digit, { minLength: min, maxLength: max }).map((d) => d.join(''));
const pattern = fc.oneof(
  digits(3, 5).map((d) => `+${d}`),
  fc.array(fc.constantFrom('1', '2', '?'), { minLength: 3, maxLength: 5 }).map((d) => `+${d.join('')}`),
  digits(0, 4).map((d) => (d ? `+${d}*` : '*')),
);
const number = digits(3, 6);

const inbound = (over: Partial<InboundRule> & { id: number; pattern: string }): InboundRule => ({
  name: null,
  targetType: 'agent',
  targetId: 1,
  priority: 100,
  position: 0,
  enabled: true,
  ...over,
});

const inboundRows = fc
  .array(fc.record({ pattern, priority: fc.integer({ min: 1, max: 3 }), position: fc.nat(5), enabled: fc.boolean() }), { maxLength: 12 })
  .map((rs) => rs.map((r, i) => inbound({ ...r, id: i + 1 })));

describe('orderRules', () => {
  it('orders by priority, then specificity, then position, then id', () => {
    const r = (id: number, priority: number, specificity: number, position: number) => ({ id, priority, specificity, position });
    const ordered = orderRules([r(1, 2, 9, 0), r(2, 1, 1, 5), r(3, 1, 5, 9), r(4, 1, 5, 2), r(5, 1, 5, 2)]);
    expect(ordered.map((x) => x.id)).toEqual([4, 5, 3, 2, 1]);
  });

  it('puts +12125550187 before +1212555???? before +1212* at equal priority, whatever the positions', () => {
    const { rules } = compileInboundRules([
      inbound({ id: 1, pattern: '+1212*', position: 0 }),
      inbound({ id: 2, pattern: '+1212555????', position: 1 }),
      inbound({ id: 3, pattern: '+12125550187', position: 2 }),
    ]);
    expect(rules.map((r) => r.id)).toEqual([3, 2, 1]);
    expect(findMatchingRule(rules, '12125550187')?.id).toBe(3);
    expect(findMatchingRule(rules, '12125550188')?.id).toBe(2);
    expect(findMatchingRule(rules, '12129990000')?.id).toBe(1);
    expect(findMatchingRule(rules, '13125550187')).toBeUndefined();
  });

  it('law: the order is sorted by its keys and does not depend on the input order', () => {
    const orderable = fc.array(fc.record({ priority: fc.integer({ min: 1, max: 3 }), specificity: fc.integer({ min: 0, max: 3 }), position: fc.nat(3) }), { maxLength: 15 });
    fc.assert(
      fc.property(orderable.map((rs) => rs.map((r, i) => ({ ...r, id: i + 1 }))), fc.nat(), (rules, seed) => {
        const ordered = orderRules(rules);
        expect([...ordered].map((r) => r.id).sort((x, y) => x - y)).toEqual(rules.map((r) => r.id));
        for (let i = 1; i < ordered.length; i++) {
          const [p, q] = [ordered[i - 1]!, ordered[i]!];
          const key = (r: typeof p) => [r.priority, -r.specificity, r.position, r.id];
          const first = key(p).map((v, k) => Math.sign(v - key(q)[k]!)).find((d) => d !== 0);
          expect(first).toBe(-1); // strictly before: ids are unique, so no two keys tie
        }
        const shuffled = [...rules].sort((x, y) => ((x.id * 7919 + seed) % 31) - ((y.id * 7919 + seed) % 31));
        expect(orderRules(shuffled)).toEqual(ordered);
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});

describe('findMatchingRule', () => {
  it('law: the match is enabled and fits; no rule before it fits; none of its priority that fits is more specific', () => {
    fc.assert(
      fc.property(inboundRows, number, (rows, dialled) => {
        const { rules } = compileInboundRules(rows);
        const match = findMatchingRule(rules, dialled);
        const fitting = rules.filter((r) => r.enabled && matchesPattern(r.compiled, dialled));
        if (!match) {
          expect(fitting).toEqual([]);
          return;
        }
        expect(match.enabled).toBe(true);
        expect(matchesPattern(match.compiled, dialled)).toBe(true);
        expect(rules.slice(0, rules.indexOf(match)).some((r) => r.enabled && matchesPattern(r.compiled, dialled))).toBe(false);
        for (const other of fitting) {
          expect(other.priority).toBeGreaterThanOrEqual(match.priority);
          if (other.priority === match.priority) expect(match.specificity).toBeGreaterThanOrEqual(other.specificity);
        }
      }),
      { seed: 11, numRuns: 500 },
    );
  });

  it('skips disabled rules and reports stored patterns that no longer compile', () => {
    const { rules, skipped } = compileInboundRules([
      inbound({ id: 1, pattern: '+12125550187', enabled: false }),
      inbound({ id: 2, pattern: '+1212#' }),
      inbound({ id: 3, pattern: '*' }),
    ]);
    expect(skipped).toEqual([{ id: 2, field: 'pattern', error: expect.any(String) }]);
    expect(rules.map((r) => r.id)).toEqual([1, 3]);
    expect(findMatchingRule(rules, '12125550187')?.id).toBe(3);
  });
});

describe('outbound rules', () => {
  const outbound = (over: Partial<OutboundRule> & { id: number }): OutboundRule => ({
    name: `r${over.id}`,
    callerIdPattern: '*',
    destinationPattern: '*',
    trunks: ['carrier'],
    callerIdOverride: null,
    priority: 100,
    position: 0,
    enabled: true,
    ...over,
  });

  it('needs both the caller ID and the destination to fit; specificity adds both patterns', () => {
    const { rules } = compileOutboundRules([
      outbound({ id: 1, callerIdPattern: '+1555000????' }),
      outbound({ id: 2, callerIdPattern: '+1555000????', destinationPattern: '+44*', trunks: [12, 34] }),
      outbound({ id: 3 }),
    ]);
    expect(rules.map((r) => r.id)).toEqual([2, 1, 3]);
    expect(rules[0]!.specificity).toBe(rules[0]!.callerId.specificity + rules[0]!.destination.specificity);
    expect(rules[0]!.trunksAttribute).toBe('[12,34]');
    expect(findMatchingOutboundRule(rules, '15550001234', '442071234567')?.id).toBe(2);
    expect(findMatchingOutboundRule(rules, '15550001234', '12125550187')?.id).toBe(1);
    expect(findMatchingOutboundRule(rules, '12125550187', '442071234567')?.id).toBe(3);
  });

  it('law: a match fits both numbers and nothing earlier does', () => {
    const rows = fc
      .array(fc.record({ callerIdPattern: pattern, destinationPattern: pattern, priority: fc.integer({ min: 1, max: 2 }), enabled: fc.boolean() }), { maxLength: 10 })
      .map((rs) => rs.map((r, i) => outbound({ ...r, id: i + 1 })));
    fc.assert(
      fc.property(rows, number, number, (rs, caller, dest) => {
        const { rules, skipped } = compileOutboundRules(rs);
        expect(skipped).toEqual([]);
        const fits = (r: (typeof rules)[number]) => r.enabled && matchesPattern(r.callerId, caller) && matchesPattern(r.destination, dest);
        const match = findMatchingOutboundRule(rules, caller, dest);
        const index = match ? rules.indexOf(match) : rules.length;
        expect(rules.slice(0, index).some(fits)).toBe(false);
        if (match) expect(fits(match)).toBe(true);
      }),
      { seed: 13, numRuns: 300 },
    );
  });

  it('reports a rule whose destination pattern no longer compiles', () => {
    const { rules, skipped } = compileOutboundRules([outbound({ id: 1, destinationPattern: '00*' })]);
    expect(rules).toEqual([]);
    expect(skipped[0]).toMatchObject({ id: 1, field: 'destination_pattern' });
  });
});

describe('reorderProblem', () => {
  it('law: every permutation of the ids is accepted', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 1000 }), { maxLength: 20 }), fc.nat(), (ids, seed) => {
        const permuted = [...ids].sort((x, y) => ((x * 31 + seed) % 97) - ((y * 31 + seed) % 97));
        expect(reorderProblem(permuted, ids)).toBeUndefined();
      }),
      { seed: 17 },
    );
  });

  it('refuses duplicates, strangers and omissions, naming them', () => {
    expect(reorderProblem([1, 2, 2], [1, 2])).toContain('2 more than once');
    expect(reorderProblem([1, 2, 9], [1, 2])).toContain('not rules of this tenant: 9');
    expect(reorderProblem([2], [1, 2])).toContain('missing: 1');
    expect(reorderProblem([], [])).toBeUndefined();
  });
});

describe('trunksAttribute', () => {
  it('writes numeric ids as a JSON array and names as a comma list', () => {
    expect(trunksAttribute([12, 34])).toBe('[12,34]');
    expect(trunksAttribute([7])).toBe('[7]');
    expect(trunksAttribute(['outbound-trunk'])).toBe('outbound-trunk');
    expect(trunksAttribute(['carrier-a', 'carrier.b'])).toBe('carrier-a,carrier.b');
    expect(trunksAttribute([])).toBe('');
  });

  it('law: the attribute gives back the trunks it was made from', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(fc.integer({ min: 1, max: 2_147_483_647 }), { minLength: 1, maxLength: 10 }),
          fc.array(fc.stringMatching(/^[A-Za-z0-9._-]{1,20}$/), { minLength: 1, maxLength: 10 }),
        ),
        (trunks) => {
          const attr = trunksAttribute(trunks);
          const back: unknown = typeof trunks[0] === 'number' ? JSON.parse(attr) : attr.split(',');
          expect(back).toEqual(trunks);
        },
      ),
      { seed: 19 },
    );
  });
});
