import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, jsonNestsDeeperThan } from '../../src/core/json-depth.js';
import { stringifyWellFormed } from '../../src/core/well-formed-json.js';
import { REJECTION_AUDIT_SAMPLES, judgeRejection, sourceOf } from '../../src/core/webhook-rejection.js';

/** How deep a parsed value nests, counted the way the scanner counts brackets. */
function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const children = Object.values(value as Record<string, unknown>);
  return 1 + children.reduce<number>((m, v) => Math.max(m, depthOf(v)), 0);
}

describe('json depth', () => {
  it('counts brackets outside strings only', () => {
    expect(jsonNestsDeeperThan('[[[]]]', 3)).toBe(false);
    expect(jsonNestsDeeperThan('[[[[]]]]', 3)).toBe(true);
    expect(jsonNestsDeeperThan('{"a":"[[[[[[[[[[","b":"\\"[[[[[["}', 1)).toBe(false);
    expect(jsonNestsDeeperThan('{"a\\\\":[[[1]]]}', 3)).toBe(true);
    expect(jsonNestsDeeperThan('[], [], []', 1)).toBe(false);
    expect(jsonNestsDeeperThan('['.repeat(100_000), MAX_JSON_DEPTH)).toBe(true);
  });

  it('agrees with the parsed value on any JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 8 }), (value, max) => {
        expect(jsonNestsDeeperThan(JSON.stringify(value), max)).toBe(depthOf(value) > max);
      }),
      { numRuns: 500 },
    );
  });
});

describe('well-formed JSON', () => {
  it('replaces lone surrogates in values and keys, keeps pairs, and stays plain JSON.stringify otherwise', () => {
    expect(stringifyWellFormed({ a: '\ud800', '\udfffk': ['x\ud83d\ude00y', '\ud83d'] })).toBe('{"a":"\ufffd","\ufffdk":["x\ud83d\ude00y","\ufffd"]}');
    expect(stringifyWellFormed({ a: '\\ud800' })).toBe(JSON.stringify({ a: '\\ud800' }));
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(stringifyWellFormed(v)).toBe(JSON.stringify(v));
      }),
      { numRuns: 300 },
    );
  });
});

describe('refused webhooks', () => {
  const limits = { perSourcePerMinute: 30, perTenantPerMinute: 120, ...REJECTION_AUDIT_SAMPLES };

  it('limits wrong secrets and unknown domains past either count, never an unusable body or an unverified session', () => {
    expect(judgeRejection('unauthorized', { source: 30, tenant: 120, auditedThisHour: 0 }, limits).limited).toBe(false);
    expect(judgeRejection('unauthorized', { source: 31, tenant: 1, auditedThisHour: 0 }, limits).limited).toBe(true);
    expect(judgeRejection('unknown_tenant', { source: 1, tenant: 121, auditedThisHour: 0 }, limits).limited).toBe(true);
    expect(judgeRejection('invalid', { source: 10_000, tenant: 10_000, auditedThisHour: 0 }, limits).limited).toBe(false);
    // Only a holder of the secret can send an event of a session Cloudonix does not have: sampled, never 429.
    expect(judgeRejection('unverified_session', { source: 10_000, tenant: 10_000, auditedThisHour: 0 }, limits)).toEqual({ limited: false, audit: false });
  });

  it('stores the first few per source and tenant, and no more than the hour allows', () => {
    expect(judgeRejection('unauthorized', { source: 5, tenant: 20, auditedThisHour: 59 }, limits).audit).toBe(true);
    expect(judgeRejection('unauthorized', { source: 6, tenant: 1, auditedThisHour: 0 }, limits).audit).toBe(false);
    expect(judgeRejection('unauthorized', { source: 1, tenant: 21, auditedThisHour: 0 }, limits).audit).toBe(false);
    expect(judgeRejection('invalid', { source: 1, tenant: 1, auditedThisHour: 60 }, limits).audit).toBe(false);
  });

  it('counts an IPv4 address as it is and an IPv6 one by its /64', () => {
    expect(sourceOf('203.0.113.7')).toBe('203.0.113.7');
    expect(sourceOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(sourceOf('2001:db8:1:2::7')).toBe('2001:db8:1:2::/64');
    expect(sourceOf('2001:0DB8:0001:0002:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
    expect(sourceOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(sourceOf('::1')).toBe('0:0:0:0::/64');
    expect(sourceOf('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(sourceOf('64:ff9b::192.0.2.33')).toBe('64:ff9b:0:0::/64');
  });
});
