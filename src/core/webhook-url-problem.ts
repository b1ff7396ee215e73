import ipaddr from 'ipaddr.js';

/** Host names that only ever mean this machine or a private network. */
const LOCAL_NAMES = /(^localhost$|\.localhost$|\.local$|\.internal$|\.lan$|\.home\.arpa$)/i;

const RANGE_WORDS: Readonly<Record<string, string>> = {
  loopback: 'this machine (loopback)',
  private: 'a private address',
  uniqueLocal: 'a private address',
  linkLocal: 'a link-local address',
  carrierGradeNat: 'a carrier-grade NAT address',
  unspecified: 'no particular address',
};

/**
 * Why Cloudonix, calling from the internet, could not use a webhook URL (or would send the
 * secret in it unencrypted), or null when nothing is wrong with it. The likeliest first
 * deployment mistake: the URLs were copied from a browser on `http://localhost:3000`.
 */
export function webhookUrlProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a full URL (PUBLIC_URL is unset and the address is unknown), so Cloudonix cannot call it: set PUBLIC_URL.';
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (LOCAL_NAMES.test(host)) {
    return `points at ${host}, a name only this machine or its network knows: Cloudonix, calling from the internet, cannot reach it. Set PUBLIC_URL to the address Cloudonix uses (for example https://lb.example.org).`;
  }
  if (ipaddr.isValid(host)) {
    const range = ipaddr.process(host).range();
    if (range !== 'unicast') {
      const kind = RANGE_WORDS[range] ?? 'a reserved address';
      return `points at ${host}, ${kind}: Cloudonix, calling from the internet, cannot reach it. Set PUBLIC_URL to the address Cloudonix uses (for example https://lb.example.org).`;
    }
  }
  if (parsed.protocol === 'http:') {
    return 'uses plain http, so the webhook secret in it crosses the internet unencrypted (and many networks block it): serve this over https and set PUBLIC_URL to the https address.';
  }
  return null;
}
