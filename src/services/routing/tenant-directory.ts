import type { TenantSettings } from '../../core/schemas/tenant.js';
import type { SecretBox } from '../../core/secret-box.js';
import { sourceMatcher } from '../../core/source-allowlist.js';
import { digestWebhookSecrets, matchWebhookSecret, type SecretMatch, type WebhookSecretDigests } from '../../core/webhook-secret-match.js';
import type { Plane } from '../../plane/plane.js';
import { isDatabaseUnavailable } from '../../store/dialect.js';
import type { Repositories } from '../../store/index.js';
import type { TenantRow } from '../../store/tenants.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { planeKeys } from '../plane-keys.js';
import { readSettings } from '../tenant-service.js';

export interface TenantEntry {
  readonly tenantId: number;
  readonly domain: string;
  readonly webhookSecret: string;
  /** The current secret and, during a rotation's grace period, the replaced one (as compared: digested once). */
  readonly secrets: WebhookSecretDigests;
  readonly settings: TenantSettings;
  /** Whether a client address may send this tenant's webhooks (settings.webhook_security.allowed_sources). */
  readonly allowsSource: (ip: string) => boolean;
  /** The tenant's Cloudonix connection asks that sessions we never routed be checked with Cloudonix. */
  readonly verifyUnknownSessions: boolean;
}

/** Whether a tenant verifies sessions we never routed (its Cloudonix connection's verify_unknown_sessions). */
export type VerifiesUnknownSessions = (tenantId: number) => Promise<boolean>;

export const TENANT_CHANGED = 'tenant.changed';

/** The tenant a TENANT_CHANGED message names; null when it names none (then every tenant is forgotten). */
export function changedTenantOf(message: string): number | null {
  try {
    const { tenantId } = JSON.parse(message) as { tenantId?: unknown };
    return typeof tenantId === 'number' ? tenantId : null;
  } catch {
    return null;
  }
}
const TTL_MS = 60_000;
/** A tenant's use of its previous secret is written to the plane at most this often per instance. */
const PREVIOUS_USE_EVERY_MS = 30_000;

/**
 * Tenants by Cloudonix domain, for the webhook hot path. Cached in process with a
 * short TTL; any instance that changes a tenant (or its Cloudonix connection) publishes
 * TENANT_CHANGED and every instance drops its copy at once (so a rotated secret stops
 * working everywhere, and switching verification of unknown sessions applies at once).
 */
export function createTenantDirectory(repos: Repositories, secretBox: SecretBox, plane: Plane, clock: Clock, logger: Logger, verifiesUnknownSessions: VerifiesUnknownSessions) {
  function entryOf(row: TenantRow, verifyUnknownSessions: boolean): TenantEntry {
    const settings = readSettings(row);
    const webhookSecret = secretBox.open(row.webhook_secret_sealed);
    const expiresAt = row.previous_webhook_secret_expires_at === null ? null : Number(row.previous_webhook_secret_expires_at);
    const previous = row.previous_webhook_secret_sealed !== null && expiresAt !== null ? { secret: secretBox.open(row.previous_webhook_secret_sealed), expiresAt } : null;
    return {
      tenantId: Number(row.id),
      domain: row.domain,
      webhookSecret,
      secrets: digestWebhookSecrets({ current: webhookSecret, previous }),
      settings,
      allowsSource: sourceMatcher(settings.webhook_security.allowed_sources),
      verifyUnknownSessions,
    };
  }

  const cache = new Map<string, { entry: TenantEntry; at: number }>();
  // Domains no tenant has are remembered apart: a flood of random ones must not push real tenants out.
  const misses = new Map<string, { entry: null; at: number }>();
  /**
   * Forgets the changed tenant, under whatever domain it was cached (a new domain leaves the old
   * one behind), and the misses (the new domain may be one): the other tenants stay cached, so a
   * database blip right after one tenant's change does not leave every tenant's calls unanswerable.
   * An announcement without a tenant forgets everything.
   */
  const forgetTenant = (tenantId: number | null) => {
    misses.clear();
    if (tenantId === null) cache.clear();
    else for (const [domain, { entry }] of cache) if (entry.tenantId === tenantId) cache.delete(domain);
  };
  let unsubscribe: (() => Promise<void>) | undefined;
  const previousNoted = new Map<number, number>();

  /** Remembers, for admins, that Cloudonix still sends the replaced secret; off the request's path. */
  function notePreviousUsed(tenant: TenantEntry, now: number): void {
    const previous = tenant.secrets.previous;
    if (!previous || now - (previousNoted.get(tenant.tenantId) ?? -Infinity) < PREVIOUS_USE_EVERY_MS) return;
    if (previousNoted.size > 10_000) previousNoted.clear();
    previousNoted.set(tenant.tenantId, now);
    plane
      .setTime(planeKeys.previousSecretUsed(tenant.tenantId, previous.expiresAt), now, Math.max(1, previous.expiresAt - now) + TTL_MS)
      .catch((err: unknown) => logger.warn({ err }, 'could not note the use of a previous webhook secret'));
  }

  return {
    async start(): Promise<void> {
      unsubscribe = await plane.subscribe(TENANT_CHANGED, (message) => forgetTenant(changedTenantOf(message)));
    },
    async stop(): Promise<void> {
      // Shutting down with Redis unreachable must still shut down.
      await unsubscribe?.().catch((err: unknown) => logger.warn({ err }, 'could not unsubscribe while stopping'));
    },
    async byDomain(domain: string): Promise<TenantEntry | null> {
      const key = domain.trim().toLowerCase();
      const hit = cache.get(key) ?? misses.get(key);
      if (hit && Date.now() - hit.at < TTL_MS) return hit.entry;
      let row;
      let verify = false;
      try {
        row = await repos.tenants.findByDomain(key);
        // Read with the tenant, once per TTL: the webhooks themselves read no extra row for it.
        if (row) verify = await verifiesUnknownSessions(Number(row.id));
      } catch (err) {
        // While the database is away, a tenant known before is still served (tried again next call).
        if (hit && isDatabaseUnavailable(err)) return hit.entry;
        throw err;
      }
      const entry = row ? entryOf(row, verify) : null;
      if (entry) {
        if (cache.size > 10_000) cache.clear();
        cache.set(key, { entry, at: Date.now() });
      } else {
        if (misses.size > 10_000) misses.clear();
        misses.set(key, { entry, at: Date.now() });
      }
      return entry;
    },
    /**
     * Which of the tenant's secrets a request presented: the current one, the replaced one
     * until its grace period ends (checked now, whatever the cache holds), or neither.
     */
    matchSecret(tenant: TenantEntry, presented: readonly string[]): SecretMatch {
      const now = clock();
      const match = matchWebhookSecret(presented, tenant.secrets, now);
      if (match === 'previous') notePreviousUsed(tenant, now);
      return match;
    },
    /** When a webhook last used the secret replaced by the rotation whose grace period ends at `expiresAt` (null: not since, or unknown). */
    async previousSecretUsedAt(tenantId: number, expiresAt: number): Promise<number | null> {
      try {
        const [at = null] = await plane.getTimes([planeKeys.previousSecretUsed(tenantId, expiresAt)]);
        return at;
      } catch (err) {
        logger.warn({ err }, 'could not read the use of a previous webhook secret');
        return null;
      }
    },
    /** Tells every instance (this one included) to forget this tenant's cached entry. */
    async announceChange(tenantId: number): Promise<void> {
      forgetTenant(tenantId);
      await plane.publish(TENANT_CHANGED, JSON.stringify({ tenantId })).catch((err: unknown) => logger.warn({ err }, 'could not announce tenant change'));
    },
  };
}
export type TenantDirectory = ReturnType<typeof createTenantDirectory>;
