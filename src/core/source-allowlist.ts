import ipaddr from 'ipaddr.js';

/**
 * A tenant's optional list of networks its Cloudonix webhooks may come from, as CIDRs
 * (`203.0.113.0/24`, `2001:db8::/32`) or single addresses. Empty allows every address.
 */
export const MAX_ALLOWED_SOURCES = 100;

type Network = [ipaddr.IPv4 | ipaddr.IPv6, number];

/**
 * Parses one entry, or null when it is not an IPv4 or IPv6 address or network.
 * IPv4 must be four decimal parts: ipaddr.js would otherwise read `10.1` or `0x0a.1` as addresses.
 */
export function parseNetwork(text: string): Network | null {
  const v = text.trim();
  if (v.includes('%')) return null;
  const [address = '', bits] = v.split('/', 2);
  if (ipaddr.IPv4.isValidFourPartDecimal(address)) {
    if (bits !== undefined && !ipaddr.IPv4.isValidCIDRFourPartDecimal(v)) return null;
    return bits === undefined ? [ipaddr.IPv4.parse(address), 32] : ipaddr.IPv4.parseCIDR(v);
  }
  if (ipaddr.IPv6.isValid(address)) {
    if (bits !== undefined && !ipaddr.IPv6.isValidCIDR(v)) return null;
    return bits === undefined ? [ipaddr.IPv6.parse(address), 128] : ipaddr.IPv6.parseCIDR(v);
  }
  return null;
}

export const isNetwork = (text: string): boolean => parseNetwork(text) !== null;

/**
 * A matcher for a client address (as Fastify's `request.ip` gives it). An IPv4 address
 * written as IPv6 (`::ffff:198.51.100.7`, as a dual-stack socket reports it) matches IPv4
 * networks. An empty list allows everything; an address that cannot be parsed matches nothing.
 */
export function sourceMatcher(entries: readonly string[]): (ip: string) => boolean {
  const networks = entries.map(parseNetwork).filter((n): n is Network => n !== null);
  if (entries.length === 0) return () => true;
  return (ip) => {
    const text = ip.split('%')[0]!;
    if (!ipaddr.isValid(text)) return false;
    const address = ipaddr.process(text);
    return networks.some(([network, bits]) => network.kind() === address.kind() && address.match(network, bits));
  };
}
