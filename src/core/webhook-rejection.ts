/**
 * What happens to a webhook the service refuses: one for a domain no tenant has, from
 * an address outside the tenant's allowlist, with a wrong or missing secret, or (with the
 * right secret) a body it cannot use or a session Cloudonix says it never had. Anyone can send the first three, so they are
 * limited and sampled; valid Cloudonix traffic never reaches these rules, since a
 * request is judged only after it has been refused.
 */

/** Audit outcomes of refused webhooks; everything else (ok, duplicate, error) is accepted. */
export const REJECTED_OUTCOMES = ['unknown_tenant', 'forbidden_source', 'unauthorized', 'invalid', 'unverified_session'] as const;
export type RejectedOutcome = (typeof REJECTED_OUTCOMES)[number];

/** The outcome of the row that counts the refused requests of a minute not stored one by one. */
export const SUPPRESSED_OUTCOME = 'suppressed';

/**
 * Outcomes a tenant's audit view leaves out unless asked for: rows anyone can cause
 * without the secret. `invalid` stays visible: only a holder of the secret can cause it.
 */
export const HIDDEN_BY_DEFAULT_OUTCOMES: readonly string[] = ['forbidden_source', 'unauthorized', SUPPRESSED_OUTCOME];

export function isRejectedOutcome(outcome: string): outcome is RejectedOutcome {
  return (REJECTED_OUTCOMES as readonly string[]).includes(outcome);
}

export interface RejectionLimits {
  /** Refused requests one source address may send per minute before it gets 429. */
  readonly perSourcePerMinute: number;
  /** Refused requests per minute for one tenant (or for unknown domains together) before 429. */
  readonly perTenantPerMinute: number;
  /** Refused requests stored one by one per source and minute... */
  readonly auditPerSourcePerMinute: number;
  /** ...per tenant (or for unknown domains together) and minute... */
  readonly auditPerTenantPerMinute: number;
  /** ...and per tenant and hour, so a flood lasting hours stores a few rows, not one a minute. */
  readonly auditPerTenantPerHour: number;
}

/** Rows stored one by one: the first few per source and minute, few per tenant, fewer per hour. */
export const REJECTION_AUDIT_SAMPLES = { auditPerSourcePerMinute: 5, auditPerTenantPerMinute: 20, auditPerTenantPerHour: 60 } as const;

/** Refused requests counted in the current minute (this one included), and rows stored this hour. */
export interface RejectionCounts {
  readonly source: number;
  readonly tenant: number;
  readonly auditedThisHour: number;
}

export interface RejectionJudgement {
  /** Answer 429 instead of the refusal. */
  readonly limited: boolean;
  /** Store this request's audit row (payload truncated); otherwise it is only counted. */
  readonly audit: boolean;
}

/** Refusals only a holder of the webhook secret can cause. */
const SECRET_HOLDER_OUTCOMES: readonly RejectedOutcome[] = ['invalid', 'unverified_session'];

/**
 * Refusals for a wrong secret or an unknown domain are limited; `invalid` and
 * `unverified_session` ones come from a holder of the secret and are only sampled,
 * never answered 429.
 */
export function judgeRejection(outcome: RejectedOutcome, counts: RejectionCounts, limits: RejectionLimits): RejectionJudgement {
  const limited = !SECRET_HOLDER_OUTCOMES.includes(outcome) && (counts.source > limits.perSourcePerMinute || counts.tenant > limits.perTenantPerMinute);
  const audit =
    counts.source <= limits.auditPerSourcePerMinute && counts.tenant <= limits.auditPerTenantPerMinute && counts.auditedThisHour < limits.auditPerTenantPerHour;
  return { limited, audit };
}

/**
 * The address a refusal is counted against: an IPv4 address as it is, an IPv6 one by
 * its /64 network, since one host is routinely given a whole /64 to pick from.
 */
export function sourceOf(ip: string): string {
  const address = ip.split('%')[0]!.toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail] = address.split('::');
  // An embedded IPv4 tail (…:1.2.3.4) stands for two groups.
  const groups = (part: string) => (part === '' ? [] : part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  const network = all.slice(0, 4).map((g) => (Number.parseInt(g, 16) || 0).toString(16));
  return `${network.join(':')}::/64`;
}
