import { AppError, invalidFields, notFound } from '../core/errors.js';
import type { Actor } from '../core/principal.js';
import { findProvider } from '../core/providers.js';
import type { ProviderPoolInput, ProviderPoolView, UpdateProviderPoolInput } from '../core/schemas/provider-pool.js';
import type { Store } from '../store/database.js';
import type { Repositories } from '../store/index.js';
import type { PoolAgentRow, ProviderPoolRow } from '../store/provider-pools.js';
import type { Clock } from './clock.js';
import { configWriter, type OnConfigChange } from './config-writes.js';
import { isoTime } from './views.js';

interface Deps {
  store: Store;
  repos: Repositories;
  clock: Clock;
  /** Told after every committed change: a pool's limit is part of the routing configuration. */
  onConfigChange: OnConfigChange;
}

export function toProviderPoolView(row: ProviderPoolRow, agents: readonly Pick<PoolAgentRow, 'id' | 'name'>[]): ProviderPoolView {
  return {
    id: Number(row.id),
    name: row.name,
    provider: row.provider,
    provider_name: row.provider === null ? null : (findProvider(row.provider)?.name ?? row.provider),
    max_concurrent_calls: Number(row.max_concurrent_calls),
    agents: agents.map((a) => ({ id: a.id, name: a.name })),
    created_at: isoTime(row.created_at),
    updated_at: isoTime(row.updated_at),
  };
}

/**
 * Refuses (422 on `pool_id`) a pool the tenant does not have (another tenant's pool
 * reads as unknown), or one for another provider than the agent's. Call it inside
 * the agent's write.
 */
export async function assertPoolJoinable(repos: Repositories, tenantId: number, poolId: number, provider: string, trx?: Parameters<Repositories['providerPools']['findById']>[2]): Promise<void> {
  const pool = await repos.providerPools.findById(tenantId, poolId, trx);
  if (!pool) throw invalidFields({ pool_id: ['is not a provider pool of this tenant: GET /api/provider-pools lists them'] });
  if (pool.provider !== null && pool.provider !== provider) {
    throw invalidFields({ pool_id: [`is the pool of ${findProvider(pool.provider)?.name ?? pool.provider} agents; this agent's provider is ${findProvider(provider)?.name ?? provider}`] });
  }
}

const describeAgents = (agents: readonly Pick<PoolAgentRow, 'name'>[]) => agents.map((a) => `"${a.name}"`).join(', ');

/**
 * Provider-account pools of a tenant: a concurrency limit several agents share.
 * A pool in use is not deleted (409 naming its agents): detaching them silently
 * would lift the provider's limit from routing while the account still enforces it.
 */
export function createProviderPoolsService({ store, repos, clock, onConfigChange }: Deps) {
  const writeConfig = configWriter(store, onConfigChange);

  async function load(tenantId: number, id: number, trx = store.db): Promise<ProviderPoolRow> {
    const row = await repos.providerPools.findById(tenantId, id, trx);
    if (!row) throw notFound('Provider pool');
    return row;
  }

  async function assertNameFree(tenantId: number, name: string, self: number | null, trx = store.db): Promise<void> {
    const other = await repos.providerPools.findByName(tenantId, name, trx);
    if (other && Number(other.id) !== self) throw new AppError('conflict', `A provider pool named "${name}" already exists.`, { fields: { name: ['is already used by another pool'] } });
  }

  async function audit(actor: Actor, action: string, id: number, before: ProviderPoolView | undefined, after: ProviderPoolView | undefined, trx = store.db) {
    await repos.auditLog.insert(actor.principal.tenantId, { userId: actor.principal.userId, action, entityType: 'provider_pool', entityId: id, before, after, ip: actor.ip, at: clock() }, trx);
  }

  async function view(tenantId: number, id: number, trx = store.db): Promise<ProviderPoolView> {
    const [row, agents] = await Promise.all([load(tenantId, id, trx), repos.providerPools.agentsIn(tenantId, id, trx)]);
    return toProviderPoolView(row, agents);
  }

  return {
    async list(tenantId: number): Promise<{ data: ProviderPoolView[] }> {
      const [rows, agents] = await Promise.all([repos.providerPools.listAll(tenantId), repos.providerPools.agentsIn(tenantId)]);
      return { data: rows.map((r) => toProviderPoolView(r, agents.filter((a) => a.pool_id === Number(r.id)))) };
    },

    get: (tenantId: number, id: number) => view(tenantId, id),

    async create(actor: Actor, input: ProviderPoolInput): Promise<ProviderPoolView> {
      const tenantId = actor.principal.tenantId;
      const now = clock();
      return writeConfig(tenantId, async (trx) => {
        await repos.tenants.lock(tenantId, trx);
        await assertNameFree(tenantId, input.name, null, trx);
        const id = await repos.providerPools.insert({ tenant_id: tenantId, name: input.name, provider: input.provider, max_concurrent_calls: input.max_concurrent_calls, created_at: now, updated_at: now }, trx);
        const after = await view(tenantId, id, trx);
        await audit(actor, 'provider_pool.created', id, undefined, after, trx);
        return after;
      });
    },

    async update(actor: Actor, id: number, input: UpdateProviderPoolInput): Promise<ProviderPoolView> {
      const tenantId = actor.principal.tenantId;
      return writeConfig(tenantId, async (trx) => {
        await repos.tenants.lock(tenantId, trx);
        const before = await view(tenantId, id, trx);
        if (input.name !== undefined) await assertNameFree(tenantId, input.name, id, trx);
        if (input.provider) {
          const others = (await repos.providerPools.agentsIn(tenantId, id, trx)).filter((a) => a.provider !== input.provider);
          if (others.length > 0) throw invalidFields({ provider: [`does not match the pool's agents ${describeAgents(others)}: move them out of the pool first`] });
        }
        await repos.providerPools.update(tenantId, id, { ...input, updated_at: clock() }, trx);
        const after = await view(tenantId, id, trx);
        await audit(actor, 'provider_pool.updated', id, before, after, trx);
        return after;
      });
    },

    async delete(actor: Actor, id: number): Promise<void> {
      const tenantId = actor.principal.tenantId;
      await writeConfig(tenantId, async (trx) => {
        // Serialises with agents joining the pool (their writes lock the tenant too).
        await repos.tenants.lock(tenantId, trx);
        const before = await view(tenantId, id, trx);
        if (before.agents.length > 0) {
          throw new AppError('conflict', `The pool is used by agent${before.agents.length > 1 ? 's' : ''} ${describeAgents(before.agents)}: take ${before.agents.length > 1 ? 'them' : 'it'} out of the pool first.`, { agents: before.agents });
        }
        await repos.providerPools.delete(tenantId, id, trx);
        await audit(actor, 'provider_pool.deleted', id, before, undefined, trx);
      });
    },
  };
}
export type ProviderPoolsService = ReturnType<typeof createProviderPoolsService>;
