import { AppError, invalidFields, notFound } from '../core/errors.js';
import type { Actor } from '../core/principal.js';
import { findProvider } from '../core/providers.js';
import {
  agentGroupBody,
  groupSettingsView,
  strategySettings,
  type GroupSettingsView,
  type AddMemberInput,
  type AgentGroupDetail,
  type AgentGroupInput,
  type AgentGroupView,
  type UpdateAgentGroupInput,
  type UpdateMemberInput,
} from '../core/schemas/agent-group.js';
import type { Pagination } from '../core/schemas/fields.js';
import type { StrategyName } from '../core/strategies/types.js';
import { parseOrThrow } from '../core/validation.js';
import type { AgentGroupRow } from '../store/agent-groups.js';
import type { Store } from '../store/database.js';
import type { Repositories } from '../store/index.js';
import { readJson, writeJson } from '../store/json-column.js';
import type { Clock } from './clock.js';
import { configWriter, type OnConfigChange } from './config-writes.js';
import { assertNotRoutedTo } from './target-references.js';
import { isoTime, pageMeta, type PageMeta } from './views.js';

interface Deps {
  store: Store;
  /** Told after every committed change, so routing caches reload. */
  onConfigChange: OnConfigChange;
  repos: Repositories;
  clock: Clock;
}

/** Stored settings in their typed shape; caller context that no longer reads well is left out rather than failing the answer. */
function readSettings(value: unknown): GroupSettingsView {
  const stored = readJson<Record<string, unknown>>(value, {});
  const parsed = groupSettingsView.safeParse(stored);
  if (parsed.success) return parsed.data;
  const { dial_options: _dropped, ...rest } = stored;
  return groupSettingsView.catch({}).parse(rest);
}

function toView(row: AgentGroupRow, memberCount: number): AgentGroupView {
  return {
    id: Number(row.id),
    name: row.name,
    strategy: row.strategy as StrategyName,
    settings: readSettings(row.settings),
    enabled: Number(row.enabled) === 1,
    member_count: memberCount,
    created_at: isoTime(row.created_at),
    updated_at: isoTime(row.updated_at),
  };
}

/** Agent groups and their members: who shares a group's calls, with what priority and capacity. */
export function createAgentGroupsService({ store, repos, clock, onConfigChange }: Deps) {
  const writeConfig = configWriter(store, onConfigChange);
  async function detail(tenantId: number, id: number, trx = store.db): Promise<AgentGroupDetail> {
    const row = await repos.agentGroups.findById(tenantId, id, trx);
    if (!row) throw notFound('Agent group');
    const members = await repos.groupMemberships.listWithAgents(tenantId, id, trx);
    return {
      ...toView(row, members.length),
      members: members.map((m) => ({
        id: Number(m.id),
        agent_id: Number(m.agent_id),
        agent_name: m.agent_name,
        provider: m.provider,
        provider_name: findProvider(m.provider)?.name ?? m.provider,
        agent_enabled: Number(m.agent_enabled) === 1,
        // The stored mark only; the HTTP layer replaces it with live health (voiceAgents.healthStatuses).
        health_status: m.health_status === 'unhealthy' ? 'unhealthy' : 'healthy',
        max_concurrent_calls: m.max_concurrent_calls === null ? null : Number(m.max_concurrent_calls),
        priority: Number(m.priority),
        capacity: Number(m.capacity),
      })),
    };
  }

  async function audit(actor: Actor, action: string, groupId: number, before: unknown, after: unknown, trx = store.db) {
    await repos.auditLog.insert(
      actor.principal.tenantId,
      { userId: actor.principal.userId, action, entityType: 'agent_group', entityId: groupId, before, after, ip: actor.ip, at: clock() },
      trx,
    );
  }

  return {
    detail,

    async list(tenantId: number, q: Pagination & { search?: string | undefined; strategy?: string | undefined }): Promise<{ data: AgentGroupView[]; meta: PageMeta }> {
      const { rows, total } = await repos.agentGroups.list(tenantId, { page: q.page, perPage: q.per_page, search: q.search, strategy: q.strategy });
      return { data: rows.map((r) => toView(r, r.member_count)), meta: pageMeta(q.page, q.per_page, total) };
    },

    async create(actor: Actor, input: AgentGroupInput): Promise<AgentGroupDetail> {
      const tenantId = actor.principal.tenantId;
      const now = clock();
      return writeConfig(tenantId, async (trx) => {
        const id = await repos.agentGroups.insert(
          { tenant_id: tenantId, name: input.name, strategy: input.strategy, settings: writeJson(input.settings), enabled: input.enabled ? 1 : 0, created_at: now, updated_at: now },
          trx,
        );
        const created = await detail(tenantId, id, trx);
        await audit(actor, 'agent_group.created', id, undefined, created, trx);
        return created;
      });
    },

    /** Merges the given fields into the group and validates the result as a whole for its (possibly new) strategy. */
    async update(actor: Actor, id: number, patch: UpdateAgentGroupInput): Promise<AgentGroupDetail> {
      const tenantId = actor.principal.tenantId;
      return writeConfig(tenantId, async (trx) => {
        const before = await detail(tenantId, id, trx);
        const strategy = patch.strategy ?? before.strategy;
        // On a strategy change, keep only the stored settings the new strategy understands.
        const known = Object.keys(strategySettings[strategy as StrategyName]?.shape ?? {});
        const kept = Object.fromEntries(Object.entries(before.settings).filter(([k]) => known.includes(k)));
        const merged = parseOrThrow(agentGroupBody, {
          name: patch.name ?? before.name,
          strategy,
          settings: { ...kept, ...patch.settings },
          enabled: patch.enabled ?? before.enabled,
        });
        await repos.agentGroups.update(
          tenantId,
          id,
          { name: merged.name, strategy: merged.strategy, settings: writeJson(merged.settings), enabled: merged.enabled ? 1 : 0, updated_at: clock() },
          trx,
        );
        const after = await detail(tenantId, id, trx);
        await audit(actor, 'agent_group.updated', id, before, after, trx);
        return after;
      });
    },

    /** Refused while an inbound rule or the tenant's fallback sends calls to the group. */
    async delete(actor: Actor, id: number): Promise<void> {
      const tenantId = actor.principal.tenantId;
      await writeConfig(tenantId, async (trx) => {
        await repos.tenants.lock(tenantId, trx);
        const before = await detail(tenantId, id, trx);
        await assertNotRoutedTo(repos, tenantId, { type: 'group', id }, trx);
        await repos.agentGroups.delete(tenantId, id, trx);
        await audit(actor, 'agent_group.deleted', id, before, undefined, trx);
      });
    },

    async addMember(actor: Actor, groupId: number, input: AddMemberInput): Promise<AgentGroupDetail> {
      const tenantId = actor.principal.tenantId;
      const before = await detail(tenantId, groupId);
      if (!(await repos.voiceAgents.findById(tenantId, input.agent_id))) {
        throw invalidFields({ agent_id: ['no such voice agent in this tenant'] });
      }
      if (before.members.some((m) => m.agent_id === input.agent_id)) {
        throw new AppError('conflict', 'The agent is already a member of this group.', { fields: { agent_id: ['is already a member'] } });
      }
      try {
        return await writeConfig(tenantId, async (trx) => {
          const now = clock();
          await repos.groupMemberships.insert(
            { tenant_id: tenantId, group_id: groupId, agent_id: input.agent_id, priority: input.priority, capacity: input.capacity, created_at: now, updated_at: now },
            trx,
          );
          const after = await detail(tenantId, groupId, trx);
          await audit(actor, 'agent_group.member_added', groupId, before.members, after.members, trx);
          return after;
        });
      } catch (err) {
        if (store.dialect.isUniqueViolation(err)) {
          throw new AppError('conflict', 'The agent is already a member of this group.', { fields: { agent_id: ['is already a member'] } });
        }
        throw err;
      }
    },

    async updateMember(actor: Actor, groupId: number, memberId: number, input: UpdateMemberInput): Promise<AgentGroupDetail> {
      const tenantId = actor.principal.tenantId;
      return writeConfig(tenantId, async (trx) => {
        const before = await detail(tenantId, groupId, trx);
        if (!(await repos.groupMemberships.findById(tenantId, groupId, memberId, trx))) throw notFound('Group member');
        await repos.groupMemberships.update(tenantId, groupId, memberId, { ...input, updated_at: clock() }, trx);
        const after = await detail(tenantId, groupId, trx);
        await audit(actor, 'agent_group.member_updated', groupId, before.members, after.members, trx);
        return after;
      });
    },

    async removeMember(actor: Actor, groupId: number, memberId: number): Promise<void> {
      const tenantId = actor.principal.tenantId;
      await writeConfig(tenantId, async (trx) => {
        const before = await detail(tenantId, groupId, trx);
        if (!(await repos.groupMemberships.findById(tenantId, groupId, memberId, trx))) throw notFound('Group member');
        await repos.groupMemberships.delete(tenantId, groupId, memberId, trx);
        await audit(actor, 'agent_group.member_removed', groupId, before.members, (await detail(tenantId, groupId, trx)).members, trx);
      });
    },
  };
}
export type AgentGroupsService = ReturnType<typeof createAgentGroupsService>;
