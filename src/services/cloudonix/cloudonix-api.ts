/**
 * The Cloudonix REST API as this service uses it (shared/cloudonix.md §6 and §9):
 * the domain and its profile, its voice applications, and call control. Every call
 * is authenticated by the tenant's domain API key, which is passed in and never
 * logged. Implemented over fetch in cloudonix-rest.ts; tests point CLOUDONIX_API_URL
 * at the local fake in test/support/fake-cloudonix-api.ts.
 *
 * Paths (base CLOUDONIX_API_URL, default https://api.cloudonix.io):
 *   GET  /customers/self/domains/{domain}                         -> CloudonixDomain
 *   PUT  /customers/self/domains/{domain}  {profile?, defaultApplication?} -> CloudonixDomain
 *   GET  /customers/self/domains/{domain}/applications            -> CloudonixApplication[]
 *   POST /customers/self/domains/{domain}/applications  {name, type:'cxml', url, method} -> CloudonixApplication
 *   PUT  /customers/self/domains/{domain}/applications/{id}  {url, method} -> CloudonixApplication
 *   GET  /customers/self/domains/{domain}/sessions/{token}        -> CloudonixSession (404: none)
 *   POST /calls/{domain}/application  {destination, caller-id?, cxml|url, method?, callback?, timeout?} -> CloudonixSession
 *   POST /calls/{domain}/sessions/{token}/application  {cxml} | {url, method} -> CloudonixSession
 *   DELETE /calls/{domain}/sessions/{token}  (?reason=) -> 204
 */

/** A domain as GET /customers/self/domains/{domain} returns it (only the fields we read). */
export interface CloudonixDomain {
  id: number;
  domain: string;
  active: boolean;
  /** The voice application new inbound calls run: its id (or its name, in some answers). */
  defaultApplication: number | string | null;
  /** Domain profile keys, e.g. `authorization-api-key`, `session-update-endpoint`, `cdr-endpoint`. */
  profile: Record<string, unknown>;
}

export interface CloudonixApplication {
  id: number;
  name: string;
  type: string;
  url: string;
  method: string;
  active: boolean;
}

export interface CloudonixSession {
  token: string;
  status: string;
  destination: string | null;
  callerId: string | null;
  callStartTime: number | null;
  callAnswerTime: number | null;
  callEndTime: number | null;
}

export interface PlaceCallRequest {
  destination: string;
  callerId?: string | undefined;
  /** One of cxml or url: what runs once the destination answers. */
  cxml?: string | undefined;
  url?: string | undefined;
  /** Where Cloudonix sends this session's updates (else the domain profile's endpoint). */
  callback?: string | undefined;
  timeout?: number | undefined;
}

export type SwitchTo = { cxml: string } | { url: string; method: 'POST' | 'GET' };

/**
 * Why a REST call failed, in kinds the console explains in words:
 * key_refused (401/403), not_found (404: domain, application or session), rate_limited
 * (429 after our retries), rejected (other 4xx: Cloudonix's own message kept),
 * unreachable (network error, timeout or 5xx).
 */
export type CloudonixFailureKind = 'key_refused' | 'not_found' | 'rate_limited' | 'rejected' | 'unreachable';

export class CloudonixFailure extends Error {
  constructor(
    readonly kind: CloudonixFailureKind,
    /** A sentence a person can act on; never holds the key. */
    readonly words: string,
    readonly status: number | null = null,
  ) {
    super(words);
    this.name = 'CloudonixFailure';
  }
}

/** One tenant's access: its domain and domain API key (plain text, only in memory). */
export interface CloudonixAccess {
  domain: string;
  apiKey: string;
}

export interface CloudonixApi {
  getDomain(access: CloudonixAccess): Promise<CloudonixDomain>;
  updateDomain(access: CloudonixAccess, change: { profile?: Record<string, unknown>; defaultApplication?: number | string }): Promise<CloudonixDomain>;
  listApplications(access: CloudonixAccess): Promise<CloudonixApplication[]>;
  createApplication(access: CloudonixAccess, app: { name: string; url: string; method: 'POST' | 'GET' }): Promise<CloudonixApplication>;
  updateApplication(access: CloudonixAccess, id: number, app: { url: string; method: 'POST' | 'GET' }): Promise<CloudonixApplication>;
  /** null when Cloudonix has no such session (404). */
  getSession(access: CloudonixAccess, token: string): Promise<CloudonixSession | null>;
  placeCall(access: CloudonixAccess, call: PlaceCallRequest): Promise<CloudonixSession>;
  switchSession(access: CloudonixAccess, token: string, to: SwitchTo): Promise<void>;
  /** false when the session had already ended (404). */
  hangUpSession(access: CloudonixAccess, token: string, reason?: string): Promise<boolean>;
}
