import { AppError, invalidFields, notFound } from '../core/errors.js';
import { maskSecrets } from '../core/mask.js';
import type { Actor, Principal } from '../core/principal.js';
import { canWrite } from '../core/roles.js';
import {
  defaultTenantSettings,
  tenantSettings,
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
export function createTenantService({ store, repos, secretBox, clock, onChange = async () => {}, onTimeZoneChange = async () => {}, wiring }: TenantDeps) {
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
    }
    return view;
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
          const settings = { ...current, ...input.settings, health: { ...current.health, ...input.settings?.health } };
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

    /** Replaces the webhook secret; the old one stops working at once. */
    async rotateWebhookSecret(actor: Actor, baseUrl: string): Promise<{ webhook_secret: string; webhook_urls: WebhookUrls }> {
      const tenantId = actor.principal.tenantId;
      const secret = newWebhookSecret();
      const row = await store.db.transaction().execute(async (trx) => {
        await repos.tenants.update(tenantId, { webhook_secret_sealed: secretBox.seal(secret), updated_at: clock() }, trx);
        await repos.auditLog.insert(
          tenantId,
          {
            userId: actor.principal.userId,
            action: 'tenant.webhook_secret_rotated',
            entityType: 'tenant',
            entityId: tenantId,
            ip: actor.ip,
            at: clock(),
          },
          trx,
        );
        return load(tenantId, trx);
      });
      await onChange(tenantId);
      return { webhook_secret: secret, webhook_urls: webhookUrlsFor(baseUrl, row.domain, secret) };
    },
  };
}
export type TenantService = ReturnType<typeof createTenantService>;
