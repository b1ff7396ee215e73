import type { Updateable } from 'kysely';
import { notFound } from '../core/errors.js';
import { maskSecrets } from '../core/mask.js';
import type { Actor } from '../core/principal.js';
import { findProvider } from '../core/providers.js';
import { parseStoredDialOptions, type DialOptions } from '../core/schemas/dial-options.js';
import type { Pagination } from '../core/schemas/fields.js';
import {
  createVoiceAgentBody,
  type CreateVoiceAgentInput,
  type HealthStatus,
  type SavedVoiceAgentView,
  type UpdateVoiceAgentInput,
  type VoiceAgentView,
} from '../core/schemas/voice-agent.js';
import type { SecretBox } from '../core/secret-box.js';
import { validationError } from '../core/validation.js';
import type { Store } from '../store/database.js';
import type { Repositories } from '../store/index.js';
import { readJson, writeJson } from '../store/json-column.js';
import type { VoiceAgentsTable } from '../store/schema.js';
import type { VoiceAgentRow } from '../store/voice-agents.js';
import type { AgentHealth } from './agent-health.js';
import { createAgentLiveHealth, healthStatusOf, plainHealth, type LiveHealth } from './agent-live-health.js';
import type { Clock } from './clock.js';
import { configWriter, type OnConfigChange } from './config-writes.js';
import { createVoiceAgentNamesakes } from './voice-agent-namesakes.js';
import { assertPoolJoinable } from './provider-pools-service.js';
import { assertNotRoutedTo } from './target-references.js';
import { isoTime, pageMeta, type PageMeta } from './views.js';

interface VoiceAgentsDeps {
  store: Store;
  /** Told after every committed change, so routing caches reload. */
  onConfigChange: OnConfigChange;
  repos: Repositories;
  secretBox: SecretBox;
  clock: Clock;
  agentHealth: AgentHealth;
}

export interface VoiceAgentListFilters extends Pagination {
  search?: string | undefined;
  enabled?: boolean | undefined;
  provider?: string | undefined;
}

export interface AgentCredentials {
  username: string | null;
  password: string | null;
}

/** Null for options that set nothing, so agents without them keep an empty column. */
function dialOptionsColumn(options: DialOptions | null | undefined): string | null {
  if (!options || Object.values(options).every((v) => v === undefined)) return null;
  return writeJson(options);
}

const agentJoinsPool = (input: UpdateVoiceAgentInput) => input.pool_id !== undefined && input.pool_id !== null;

/** The public shape of an agent: whether credentials are set, never the sealed values. */
export function toVoiceAgentView(row: VoiceAgentRow, health: LiveHealth = plainHealth): VoiceAgentView {
  const unhealthyUntil = health.unhealthyUntil;
  const provider = findProvider(row.provider);
  return {
    id: Number(row.id),
    name: row.name,
    provider: row.provider,
    // A provider dropped from the catalog after the row was written still shows, under its id.
    provider_name: provider?.name ?? row.provider,
    transport: provider?.transport ?? 'sip',
    service_value: row.service_value,
    has_username: row.username_sealed !== null,
    has_password: row.password_sealed !== null,
    enabled: Number(row.enabled) === 1,
    max_concurrent_calls: row.max_concurrent_calls === null ? null : Number(row.max_concurrent_calls),
    description: row.description,
    metadata: readJson<Record<string, unknown> | null>(row.metadata, null),
    dial_options: parseStoredDialOptions(readJson<unknown>(row.dial_options, null)) ?? {},
    pool_id: row.pool_id === null || row.pool_id === undefined ? null : Number(row.pool_id),
    health_status: healthStatusOf(row.health_status === 'unhealthy', health),
    unhealthy_until: unhealthyUntil === null ? null : isoTime(unhealthyUntil),
    unhealthy_reason: unhealthyUntil === null ? null : (health.outReason?.reason ?? 'failures'),
    short_calls: unhealthyUntil !== null && health.outReason?.reason === 'short_calls' ? { short_calls: health.outReason.short_calls, answered_calls: health.outReason.answered_calls, short_call_seconds: health.outReason.short_call_seconds } : null,
    created_at: isoTime(row.created_at),
    updated_at: isoTime(row.updated_at),
  };
}

/** Voice agents of one tenant: the targets calls are routed to. Credentials are stored sealed. */
export function createVoiceAgentsService({ store, repos, secretBox, clock, agentHealth, onConfigChange }: VoiceAgentsDeps) {
  const writeConfig = configWriter(store, onConfigChange);
  const healthOf = createAgentLiveHealth(store, agentHealth);
  const { assertNameFree, warningsFor } = createVoiceAgentNamesakes(store);

  /** Views with live health (see `healthOf`). */
  async function withHealth(tenantId: number, rows: readonly VoiceAgentRow[]): Promise<VoiceAgentView[]> {
    const health = await healthOf(tenantId, rows.map((r) => Number(r.id)));
    return rows.map((r, i) => toVoiceAgentView(r, health[i]));
  }

  /** Empty string and null both mean "no credential". */
  const sealed = (value: string | null | undefined): string | null => (value ? secretBox.seal(value) : null);

  async function audit(actor: Actor, action: string, id: number, before: VoiceAgentView | undefined, after: VoiceAgentView | undefined, trx = store.db) {
    // Views never hold credentials, but metadata is free-form and may carry a key named like a secret.
    await repos.auditLog.insert(
      actor.principal.tenantId,
      {
        userId: actor.principal.userId,
        action,
        entityType: 'voice_agent',
        entityId: id,
        before: before === undefined ? undefined : maskSecrets(before),
        after: after === undefined ? undefined : maskSecrets(after),
        ip: actor.ip,
        at: clock(),
      },
      trx,
    );
  }

  async function load(tenantId: number, id: number, trx = store.db): Promise<VoiceAgentRow> {
    const row = await repos.voiceAgents.findById(tenantId, id, trx);
    if (!row) throw notFound('Voice agent');
    return row;
  }

  /** The stored agent with the given changes applied, validated as a whole (a new provider needs a fitting service value). */
  function merge(row: VoiceAgentRow, input: UpdateVoiceAgentInput): CreateVoiceAgentInput {
    const current = toVoiceAgentView(row);
    const pick = <K extends keyof UpdateVoiceAgentInput & keyof VoiceAgentView>(key: K) => (input[key] === undefined ? current[key] : input[key]);
    const parsed = createVoiceAgentBody.safeParse({
      name: pick('name'),
      provider: pick('provider'),
      service_value: pick('service_value'),
      enabled: pick('enabled'),
      max_concurrent_calls: pick('max_concurrent_calls'),
      description: pick('description'),
      metadata: pick('metadata'),
      dial_options: pick('dial_options'),
      pool_id: pick('pool_id'),
    });
    if (!parsed.success) throw validationError(parsed.error);
    return parsed.data;
  }

  return {
    async list(tenantId: number, f: VoiceAgentListFilters): Promise<{ data: VoiceAgentView[]; meta: PageMeta }> {
      const { rows, total } = await repos.voiceAgents.list(tenantId, {
        page: f.page,
        perPage: f.per_page,
        search: f.search,
        enabled: f.enabled,
        provider: f.provider,
      });
      return { data: await withHealth(tenantId, rows), meta: pageMeta(f.page, f.per_page, total) };
    },

    async get(tenantId: number, id: number): Promise<VoiceAgentView> {
      const [view] = await withHealth(tenantId, [await load(tenantId, id)]);
      return view!;
    },

    async create(actor: Actor, input: CreateVoiceAgentInput): Promise<SavedVoiceAgentView> {
      const tenantId = actor.principal.tenantId;
      const now = clock();
      return writeConfig(tenantId, async (trx) => {
        // Serialises name checks with other configuration changes of the tenant.
        await repos.tenants.lock(tenantId, trx);
        await assertNameFree(tenantId, input.name, null, trx);
        if (input.pool_id) await assertPoolJoinable(repos, tenantId, input.pool_id, input.provider, trx);
        const id = await repos.voiceAgents.insert(
          {
            tenant_id: tenantId,
            name: input.name,
            provider: input.provider,
            service_value: input.service_value,
            username_sealed: sealed(input.username),
            password_sealed: sealed(input.password),
            enabled: input.enabled ? 1 : 0,
            max_concurrent_calls: input.max_concurrent_calls ?? null,
            description: input.description ?? null,
            metadata: input.metadata == null ? null : writeJson(input.metadata),
            dial_options: dialOptionsColumn(input.dial_options),
            pool_id: input.pool_id ?? null,
            health_status: 'healthy',
            created_at: now,
            updated_at: now,
          },
          trx,
        );
        // A new agent has had no call yet.
        const view = toVoiceAgentView(await load(tenantId, id, trx), { ...plainHealth, tried: false });
        await audit(actor, 'voice_agent.created', id, undefined, view, trx);
        return { ...view, warnings: await warningsFor(tenantId, view, trx) };
      });
    },

    async update(actor: Actor, id: number, input: UpdateVoiceAgentInput): Promise<SavedVoiceAgentView> {
      const tenantId = actor.principal.tenantId;
      return writeConfig(tenantId, async (trx) => {
        // A pool joined is locked against its deletion (provider-pools-service takes the same lock).
        if (input.name !== undefined || agentJoinsPool(input)) await repos.tenants.lock(tenantId, trx);
        const before = await load(tenantId, id, trx);
        const agent = merge(before, input);
        if (input.name !== undefined) await assertNameFree(tenantId, agent.name, id, trx);
        if (agent.pool_id && (agentJoinsPool(input) || input.provider !== undefined)) await assertPoolJoinable(repos, tenantId, agent.pool_id, agent.provider, trx);
        const changes: Updateable<VoiceAgentsTable> = {
          name: agent.name,
          provider: agent.provider,
          service_value: agent.service_value,
          enabled: agent.enabled ? 1 : 0,
          max_concurrent_calls: agent.max_concurrent_calls ?? null,
          description: agent.description ?? null,
          metadata: agent.metadata == null ? null : writeJson(agent.metadata),
          dial_options: dialOptionsColumn(agent.dial_options),
          pool_id: agent.pool_id ?? null,
          updated_at: clock(),
        };
        // Absent keeps the stored credential; null or "" removes it; a value replaces it.
        if (input.username !== undefined) changes.username_sealed = sealed(input.username);
        if (input.password !== undefined) changes.password_sealed = sealed(input.password);
        await repos.voiceAgents.update(tenantId, id, changes, trx);
        const [health] = await healthOf(tenantId, [id], trx);
        const view = toVoiceAgentView(await load(tenantId, id, trx), health);
        await audit(actor, 'voice_agent.updated', id, toVoiceAgentView(before, health), view, trx);
        return { ...view, warnings: await warningsFor(tenantId, view, trx) };
      });
    },

    /** Flips `enabled`; the routing configuration version moves with it, so the change applies to the next call. */
    async toggle(actor: Actor, id: number): Promise<VoiceAgentView> {
      const tenantId = actor.principal.tenantId;
      return writeConfig(tenantId, async (trx) => {
        const before = await load(tenantId, id, trx);
        const enabled = Number(before.enabled) === 1 ? 0 : 1;
        await repos.voiceAgents.update(tenantId, id, { enabled, updated_at: clock() }, trx);
        const [health] = await healthOf(tenantId, [id], trx);
        const view = toVoiceAgentView(await load(tenantId, id, trx), health);
        await audit(actor, enabled ? 'voice_agent.enabled' : 'voice_agent.disabled', id, toVoiceAgentView(before, health), view, trx);
        return view;
      });
    },

    /**
     * Deletes an agent and its group memberships. Refused (409) while an inbound rule or the
     * tenant's fallback route points at it, because calls would then be routed to nothing.
     */
    async delete(actor: Actor, id: number): Promise<void> {
      const tenantId = actor.principal.tenantId;
      await writeConfig(tenantId, async (trx) => {
        // Serialises with other configuration changes of the tenant that take the same lock.
        await repos.tenants.lock(tenantId, trx);
        const before = await load(tenantId, id, trx);
        await assertNotRoutedTo(repos, tenantId, { type: 'agent', id }, trx);
        await repos.voiceAgents.delete(tenantId, id, trx);
        await audit(actor, 'voice_agent.deleted', id, toVoiceAgentView(before), undefined, trx);
      });
    },

    /** Live health of the tenant's agents among `ids`, in the same order (group members show it too). */
    async healthStatuses(tenantId: number, ids: readonly number[], marked: readonly boolean[] = []): Promise<HealthStatus[]> {
      const health = await healthOf(tenantId, ids);
      return health.map((h, i) => healthStatusOf(marked[i] ?? false, h));
    },

    /** The plaintext credentials for the `<Service>` element; only the routing code should call this. */
    async credentialsFor(tenantId: number, agentId: number): Promise<AgentCredentials> {
      const row = await load(tenantId, agentId);
      return {
        username: row.username_sealed === null ? null : secretBox.open(row.username_sealed),
        password: row.password_sealed === null ? null : secretBox.open(row.password_sealed),
      };
    },
  };
}
export type VoiceAgentsService = ReturnType<typeof createVoiceAgentsService>;
