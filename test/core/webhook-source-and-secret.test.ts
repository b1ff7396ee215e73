import { describe, expect, it } from 'vitest';
import { isNetwork, sourceMatcher } from '../../src/core/source-allowlist.js';
import { digestWebhookSecrets, matchWebhookSecret } from '../../src/core/webhook-secret-match.js';

describe('source allowlist', () => {
  it('takes IPv4 and IPv6 addresses and CIDRs, and nothing else', () => {
    for (const ok of ['203.0.113.0/24', '198.51.100.7', '0.0.0.0/0', '2001:db8::/32', '::1', '::/0', '::ffff:203.0.113.0/120']) expect(isNetwork(ok), ok).toBe(true);
    for (const bad of ['', ' ', '10.1', '0x0a.0.0.1', '010.0.0.1/8x', '10.0.0.0/33', '10.0.0.0/-1', '256.0.0.1', '2001:db8::/129', 'fe80::1%eth0', 'example.com', '10.0.0.0/8/8']) {
      expect(isNetwork(bad), bad).toBe(false);
    }
  });

  it('matches addresses inside the networks, IPv4-mapped IPv6 as IPv4; an empty list allows everyone', () => {
    const allowed = sourceMatcher(['203.0.113.0/24', '2001:db8:cafe::/48', '198.51.100.7']);
    expect(['203.0.113.1', '203.0.113.254', '::ffff:203.0.113.9', '2001:db8:cafe:ffff::1', '198.51.100.7'].map(allowed)).toEqual([true, true, true, true, true]);
    expect(['203.0.114.1', '198.51.100.8', '2001:db8:caff::1', '::ffff:198.51.100.8', 'not an ip', ''].map(allowed)).toEqual([false, false, false, false, false, false]);
    expect(sourceMatcher([])('192.0.2.1')).toBe(true);
  });
});

describe('webhook secret match', () => {
  const secrets = digestWebhookSecrets({ current: 'cxlb_new', previous: { secret: 'cxlb_old', expiresAt: 1_000 } });

  it('accepts the current secret always and the previous one until it expires', () => {
    expect(matchWebhookSecret(['cxlb_new'], secrets, 5_000)).toBe('current');
    expect(matchWebhookSecret(['cxlb_old'], secrets, 999)).toBe('previous');
    expect(matchWebhookSecret(['cxlb_old'], secrets, 1_000)).toBeNull();
    expect(matchWebhookSecret(['wrong', 'cxlb_new'], secrets, 0)).toBe('current');
    expect(matchWebhookSecret(['cxlb_ol', 'cxlb_old_', ''], secrets, 0)).toBeNull();
    expect(matchWebhookSecret(['cxlb_old'], digestWebhookSecrets({ current: 'cxlb_new', previous: null }), 0)).toBeNull();
  });
});
