import { AppError, notFound } from '../../core/errors.js';
import type { Actor } from '../../core/principal.js';
import type { CloudonixConnectionView, UpdateCloudonixConnectionInput } from '../../core/schemas/cloudonix-connection.js';
import type { SecretBox } from '../../core/secret-box.js';
import type { CloudonixConnectionRow } from '../../store/cloudonix-connections.js';
import type { Repositories } from '../../store/index.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { CloudonixFailure, type CloudonixAccess, type CloudonixApi } from './cloudonix-api.js';
import { cloudonixFailureToAppError } from './cloudonix-errors.js';

export interface ConnectionDeps {
  repos: Repositories;
  secretBox: SecretBox;
  api: CloudonixApi;
  apiUrl: string;
  clock: Clock;
  logger: Logger;
  /** Told after any change, so every instance's tenant cache sees it (verification of unknown sessions). */
  onChange?: (tenantId: number) => Promise<void>;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const hintOf = (key: string): string => key.slice(-4);

/** Said when a Cloudonix action is asked of a tenant without a key. */
export const NOT_CONNECTED_WORDS = 'Cloudonix is not connected: add the domain API key under Settings → Cloudonix connection first.';

/**
 * Each tenant's connection to the Cloudonix REST API: the domain API key, sealed with
 * APP_KEY and never returned or logged (only its last 4 characters are shown), checked
 * with Cloudonix before it is saved. `accessFor` is what every Cloudonix action uses.
 */
export function createConnectionService({ repos, secretBox, api, apiUrl, clock, logger, onChange }: ConnectionDeps) {
  async function domainOf(tenantId: number): Promise<string> {
    const tenant = await repos.tenants.findById(tenantId);
    if (!tenant) throw notFound('Tenant');
    return tenant.domain;
  }

  function view(domain: string, row: CloudonixConnectionRow | undefined): CloudonixConnectionView {
    return {
      connected: row !== undefined,
      domain,
      api_url: apiUrl,
      key_hint: row ? `…${row.keyHint}` : null,
      verify_unknown_sessions: row?.verifyUnknownSessions ?? false,
      connected_at: iso(row?.createdAt ?? null),
      last_setup_at: iso(row?.lastSetupAt ?? null),
    };
  }

  /** What the audit log keeps of a connection: never the key, only its hint. */
  const audited = (v: CloudonixConnectionView) => ({ connected: v.connected, key_hint: v.key_hint, verify_unknown_sessions: v.verify_unknown_sessions });

  async function changed(tenantId: number): Promise<void> {
    await onChange?.(tenantId).catch((err: unknown) => logger.warn({ err, tenantId }, 'could not announce a Cloudonix connection change'));
  }

  /** The tenant's domain and decrypted key, only in memory; null when not connected. */
  async function accessFor(tenantId: number): Promise<CloudonixAccess | null> {
    const row = await repos.cloudonixConnections.find(tenantId);
    if (!row) return null;
    return { domain: await domainOf(tenantId), apiKey: secretBox.open(row.apiKeySealed) };
  }

  return {
    accessFor,

    /** Like accessFor, but a 409 cloudonix_not_connected in words when there is no key. */
    async requireAccess(tenantId: number): Promise<CloudonixAccess> {
      const access = await accessFor(tenantId);
      if (!access) throw new AppError('cloudonix_not_connected', NOT_CONNECTED_WORDS);
      return access;
    },

    /** Whether session updates and CDRs for sessions we never routed are checked with Cloudonix. */
    async verifiesUnknownSessions(tenantId: number): Promise<boolean> {
      return (await repos.cloudonixConnections.find(tenantId))?.verifyUnknownSessions ?? false;
    },

    /** The voice application domain setup made or adopted last time (null: none yet, or not connected). */
    async storedApplicationId(tenantId: number): Promise<number | null> {
      return (await repos.cloudonixConnections.find(tenantId))?.applicationId ?? null;
    },
    /** Remembers what domain setup made or adopted, and when it ran. */
    rememberSetup: (tenantId: number, applicationId: number | null, at: number) => repos.cloudonixConnections.recordSetup(tenantId, applicationId, at),

    async view(tenantId: number): Promise<CloudonixConnectionView> {
      return view(await domainOf(tenantId), await repos.cloudonixConnections.find(tenantId));
    },

    /**
     * Sets the key and/or the option. A new key is tried first (GET of the tenant's domain):
     * refused -> 422 cloudonix_key_refused, Cloudonix away -> 424, and nothing is saved.
     */
    async update(actor: Actor, input: UpdateCloudonixConnectionInput): Promise<CloudonixConnectionView> {
      const { tenantId } = actor.principal;
      const domain = await domainOf(tenantId);
      const before = view(domain, await repos.cloudonixConnections.find(tenantId));
      const now = clock();
      if (input.api_key !== undefined) {
        try {
          await api.getDomain({ domain, apiKey: input.api_key });
        } catch (err) {
          if (!(err instanceof CloudonixFailure)) throw err;
          if (err.kind === 'not_found') {
            throw new AppError('cloudonix_key_refused', `Cloudonix has no domain ${domain} for this key: use a domain API key of ${domain} (the tenant's domain) from the Cloudonix console.`, { kind: err.kind, status: err.status });
          }
          throw cloudonixFailureToAppError(err);
        }
        await repos.cloudonixConnections.saveKey(tenantId, secretBox.seal(input.api_key), hintOf(input.api_key), input.verify_unknown_sessions, now);
      } else if (input.verify_unknown_sessions !== undefined) {
        const updated = await repos.cloudonixConnections.setVerifyUnknownSessions(tenantId, input.verify_unknown_sessions, now);
        if (!updated) throw new AppError('cloudonix_not_connected', NOT_CONNECTED_WORDS);
      }
      const after = view(domain, await repos.cloudonixConnections.find(tenantId));
      await repos.auditLog.insert(tenantId, { userId: actor.principal.userId, action: 'cloudonix_connection.updated', entityType: 'cloudonix_connection', entityId: null, before: audited(before), after: audited(after), ip: actor.ip, at: now });
      await changed(tenantId);
      return after;
    },

    /** Forgets the key; Cloudonix actions then answer 409 until a key is set again. */
    async remove(actor: Actor): Promise<void> {
      const { tenantId } = actor.principal;
      const domain = await domainOf(tenantId);
      const row = await repos.cloudonixConnections.find(tenantId);
      if (!row) return;
      await repos.cloudonixConnections.remove(tenantId);
      await repos.auditLog.insert(tenantId, { userId: actor.principal.userId, action: 'cloudonix_connection.removed', entityType: 'cloudonix_connection', entityId: null, before: audited(view(domain, row)), after: null, ip: actor.ip, at: clock() });
      await changed(tenantId);
    },
  };
}
export type ConnectionService = ReturnType<typeof createConnectionService>;
