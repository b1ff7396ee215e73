import { AppError, invalidFields, notFound } from '../core/errors.js';
import { maskSecrets } from '../core/mask.js';
import type { Actor, Principal } from '../core/principal.js';
import { canWrite } from '../core/roles.js';
import {
  defaultTenantSettings,
  tenantSettings,
  type RotatedWebhookSecret,
  type TenantSettings,
  type TenantView,
  type UpdateTenantInput,
  type WebhookUrls,
} from '../core/schemas/tenant.js';
import type { SecretBox } from '../core/secret-box.js';
import type { Store } from '../store/database.js';
import type { Repositories } from '../store/index.js';
import { readJson, writeJson } from '../store/json-column.js';
import type { TenantRow } from '../store/tenants.js';
import type { Clock } from './clock.js';
import { isoTime } from './views.js';
import { newWebhookSecret } from './webhook-secret.js';
import type { WebhookWiring } from './webhook-wiring.js';

const HOUR_MS = 3_600_000;

interface TenantDeps {
  store: Store;
  repos: Repositories;
  secretBox: SecretBox;
  clock: Clock;
  /** Told after a committed change, so webhook caches on every instance drop the tenant. */
  onChange?: (tenantId: number) => Promise<void>;
  /** Told when the time zone changed: analytics days must be recounted. */
  onTimeZoneChange?: (tenantId: number) => Promise<void>;
  wiring: WebhookWiring;
  /** When a webhook last used the replaced secret of the rotation whose grace period ends then (routing's tenant directory). */
  previousSecretUsedAt?: (tenantId: number, expiresAt: number) => Promise<number | null>;
}

/** The exact URLs to paste into the Cloudonix domain settings, secret included. */
export function webhookUrlsFor(baseUrl: string, domain: string, secret: string): WebhookUrls {
  const q = `token=${encodeURIComponent(secret)}`;
  const d = encodeURIComponent(domain);
  return {
    voice_application: `${baseUrl}/api/voice/application/${d}?${q}`,
    session_update: `${baseUrl}/api/voice/session/update/${d}?${q}`,
    cdr: `${baseUrl}/api/voice/session/cdr/${d}?${q}`,
  };
}

export function readSettings(row: TenantRow): TenantSettings {
  const parsed = tenantSettings.safeParse(readJson<unknown>(row.settings, {}));
  return parsed.success ? parsed.data : defaultTenantSettings;
}

/** A tenant's own settings and webhook credentials. */
export function createTenantService({
  store,
  repos,
  secretBox,
  clock,
  onChange = async () => {},
  onTimeZoneChange = async () => {},
  wiring,
  previousSecretUsedAt = async () => null,
}: TenantDeps) {
  async function toView(row: TenantRow, principal: Principal, baseUrl: string): Promise<TenantView> {
    const settings = readSettings(row);
    const view: TenantView = {
      id: Number(row.id),
      name: row.name,
      domain: row.domain,
      settings,
      created_at: isoTime(row.created_at),
      updated_at: isoTime(row.updated_at),
      webhook_wiring: await wiring.check(Number(row.id), settings.max_call_minutes),
    };
    if (canWrite(principal.role)) {
      const secret = secretBox.open(row.webhook_secret_sealed);
      view.webhook_secret = secret;
      view.webhook_urls = webhookUrlsFor(baseUrl, row.domain, secret);
      const expiresAt = previousExpiry(row);
      view.previous_webhook_secret_expires_at = expiresAt;
      view.previous_webhook_secret_last_used_at = expiresAt === null ? null : isoTime(await previousSecretUsedAt(Number(row.id), Date.parse(expiresAt)));
    }
    return view;
  }

  /** When the replaced secret stops being accepted, while it still is; null otherwise. */
  function previousExpiry(row: TenantRow): string | null {
    const at = row.previous_webhook_secret_expires_at === null ? null : Number(row.previous_webhook_secret_expires_at);
    return row.previous_webhook_secret_sealed !== null && at !== null && at > clock() ? isoTime(at) : null;
  }

  async function load(tenantId: number, trx = store.db): Promise<TenantRow> {
    const row = await repos.tenants.findById(tenantId, trx);
    if (!row) throw notFound('Tenant');
    return row;
  }

  function auditable(row: TenantRow) {
    return maskSecrets({ name: row.name, domain: row.domain, settings: readSettings(row) });
  }

  return {
    async get(principal: Principal, baseUrl: string): Promise<TenantView> {
      return toView(await load(principal.tenantId), principal, baseUrl);
    },

    async update(actor: Actor, input: UpdateTenantInput, baseUrl: string): Promise<TenantView> {
      const tenantId = actor.principal.tenantId;
      if (input.domain !== undefined) {
        const other = await repos.tenants.findByDomain(input.domain);
        if (other && other.id !== tenantId) {
          throw new AppError('conflict', 'The domain is already registered.', { fields: { domain: ['is already registered'] } });
        }
      }
      const fallback = input.settings?.fallback;
      if (fallback?.type === 'agent' && !(await repos.voiceAgents.findById(tenantId, fallback.agent_id))) {
        throw invalidFields({ 'settings.fallback.agent_id': ['no such voice agent in this tenant'] });
      }
      if (fallback?.type === 'group' && !(await repos.agentGroups.findById(tenantId, fallback.group_id))) {
        throw invalidFields({ 'settings.fallback.group_id': ['no such agent group in this tenant'] });
      }
      try {
        const after = await store.db.transaction().execute(async (trx) => {
          const before = await load(tenantId, trx);
          const current = readSettings(before);
          // Nested groups merge too, so changing one health value keeps the other.
          const settings = {
            ...current,
            ...input.settings,
            health: { ...current.health, ...input.settings?.health },
            webhook_security: { ...current.webhook_security, ...input.settings?.webhook_security },
          };
          await repos.tenants.update(
            tenantId,
            {
              name: input.name ?? before.name,
              domain: input.domain ?? before.domain,
              settings: writeJson(settings),
              updated_at: clock(),
            },
            trx,
          );
          const row = await load(tenantId, trx);
          await repos.auditLog.insert(
            tenantId,
            {
              userId: actor.principal.userId,
              action: 'tenant.updated',
              entityType: 'tenant',
              entityId: tenantId,
              before: auditable(before),
              after: auditable(row),
              ip: actor.ip,
              at: clock(),
            },
            trx,
          );
          return row;
        });
        await onChange(tenantId);
        if (input.settings?.timezone !== undefined) await onTimeZoneChange(tenantId);
        return toView(after, actor.principal, baseUrl);
      } catch (err) {
        if (store.dialect.isUniqueViolation(err)) {
          throw new AppError('conflict', 'The domain is already registered.', { fields: { domain: ['is already registered'] } });
        }
        throw err;
      }
    },

    /**
     * Replaces the webhook secret. The replaced one stays valid for the tenant's grace
     * period (calls in progress carry it in their Dial action URL; Cloudonix sends it until
     * the domain is updated). Only one previous secret is kept: rotating again during a
     * grace period drops the older one at once, and the one replaced now gets a new period.
     */
    async rotateWebhookSecret(actor: Actor, baseUrl: string): Promise<RotatedWebhookSecret> {
      const tenantId = actor.principal.tenantId;
      const secret = newWebhookSecret();
      const row = await store.db.transaction().execute(async (trx) => {
        // Two rotations at once must not both demote the same secret (one new secret would be lost).
        await repos.tenants.lock(tenantId, trx);
        const before = await load(tenantId, trx);
        const now = clock();
        const graceHours = readSettings(before).webhook_security.rotation_grace_hours;
        const expiresAt = graceHours > 0 ? now + graceHours * HOUR_MS : null;
        await repos.tenants.update(
          tenantId,
          {
            webhook_secret_sealed: secretBox.seal(secret),
            previous_webhook_secret_sealed: expiresAt === null ? null : before.webhook_secret_sealed,
            previous_webhook_secret_expires_at: expiresAt,
            updated_at: now,
          },
          trx,
        );
        await repos.auditLog.insert(
          tenantId,
          {
            userId: actor.principal.userId,
            action: 'tenant.webhook_secret_rotated',
            entityType: 'tenant',
            entityId: tenantId,
            // Never the secrets: only how long the replaced one is still accepted.
            after: { grace_hours: graceHours, previous_secret_expires_at: expiresAt === null ? null : isoTime(expiresAt) },
            ip: actor.ip,
            at: now,
          },
          trx,
        );
        return load(tenantId, trx);
      });
      await onChange(tenantId);
      return { webhook_secret: secret, webhook_urls: webhookUrlsFor(baseUrl, row.domain, secret), previous_webhook_secret_expires_at: previousExpiry(row) };
    },

    /** Stops accepting the replaced secret now (after a leak), instead of at the end of its grace period. */
    async endWebhookSecretGrace(actor: Actor): Promise<void> {
      const tenantId = actor.principal.tenantId;
      const ended = await store.db.transaction().execute(async (trx) => {
        await repos.tenants.lock(tenantId, trx);
        const before = await load(tenantId, trx);
        if (previousExpiry(before) === null) return false;
        const now = clock();
        await repos.tenants.update(tenantId, { previous_webhook_secret_sealed: null, previous_webhook_secret_expires_at: null, updated_at: now }, trx);
        await repos.auditLog.insert(
          tenantId,
          { userId: actor.principal.userId, action: 'tenant.webhook_secret_grace_ended', entityType: 'tenant', entityId: tenantId, ip: actor.ip, at: now },
          trx,
        );
        return true;
      });
      if (ended) await onChange(tenantId);
    },
  };
}
export type TenantService = ReturnType<typeof createTenantService>;
