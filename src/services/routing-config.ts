import { findProvider, type ProviderTransport } from '../core/providers.js';
import type { GroupSettings } from '../core/schemas/agent-group.js';
import { parseStoredDialOptions, type DialOptions } from '../core/schemas/dial-options.js';
import type { SecretBox } from '../core/secret-box.js';
import type { StrategyName } from '../core/strategies/types.js';
import type { Plane } from '../plane/plane.js';
import type { Repositories } from '../store/index.js';
import { isDatabaseUnavailable } from '../store/dialect.js';
import { readJson } from '../store/json-column.js';
import type { Logger } from './logger.js';
import { planeKeys } from './plane-keys.js';

/** What routing needs of an agent, credentials already opened (they never leave this process's memory). */
export interface AgentRoute {
  readonly id: number;
  readonly enabled: boolean;
  readonly provider: string;
  /** From the provider catalog: SIP agents are dialled with `<Service>`, WebSocket agents streamed to. */
  readonly transport: ProviderTransport;
  readonly serviceValue: string;
  readonly username: string | null;
  readonly password: string | null;
  readonly maxConcurrentCalls: number | null;
  /** Marked unhealthy by hand (the live health in the plane is read per decision). */
  readonly markedUnhealthy: boolean;
  /** The agent's own caller-context options; its group's `settings.dial_options` fill the fields it leaves unset. */
  readonly dialOptions: DialOptions | null;
  /** The provider pool whose limit its calls also count against; null: none (no extra plane work). */
  readonly pool: PoolRoute | null;
}

/** A provider-account pool: one concurrency limit across its agents. */
export interface PoolRoute {
  readonly id: number;
  readonly maxConcurrentCalls: number;
}

export interface MemberRoute {
  readonly agentId: number;
  readonly priority: number;
  readonly capacity: number;
}

export interface GroupRoute {
  readonly id: number;
  readonly enabled: boolean;
  readonly strategy: StrategyName;
  /** `settings.dial_options` holds the group's caller-context options (null or absent: none). */
  readonly settings: GroupSettings;
  /** In priority, then agent id order; only members whose agent exists. */
  readonly members: readonly MemberRoute[];
}

export interface TenantRouting {
  readonly agents: ReadonlyMap<number, AgentRoute>;
  readonly groups: ReadonlyMap<number, GroupRoute>;
  /** The tenant's provider pools (empty for most tenants). */
  readonly pools: ReadonlyMap<number, PoolRoute>;
}

interface Entry {
  version: number;
  loadedAt: number;
  config: Promise<TenantRouting>;
  /** The configuration once loaded: a call reads it without awaiting. */
  ready?: TenantRouting;
}

const DEFAULT_GROUP_SETTINGS: GroupSettings = { max_attempts: 3, fallback_enabled: true, failover_on_busy: false };
/** Bounds staleness when agents are written behind the service's back (the seeding CLI, a manual SQL fix). */
const MAX_AGE_MS = 60_000;

/** Stored group settings; dial options that no longer validate count as none rather than failing calls. */
function groupSettings(value: unknown): GroupSettings {
  const settings = readJson<GroupSettings>(value, DEFAULT_GROUP_SETTINGS);
  if (settings.dial_options === undefined) return settings;
  return Object.assign({}, settings, { dial_options: parseStoredDialOptions(settings.dial_options) });
}

/**
 * Each tenant's agents, groups and memberships as routing reads them, kept in
 * memory so a call is decided without touching the database. Coherence across
 * instances rests on a per-tenant version counter in the plane: every write bumps
 * it after committing, every decision reads it (one plane read) and reloads when
 * it moved, so the next call on any instance sees the change.
 */
export function createRoutingConfig(repos: Repositories, secretBox: SecretBox, plane: Plane, logger: Logger) {
  const cache = new Map<number, Entry>();
  /** The last configuration loaded per tenant (see `peek`). */
  const loaded = new Map<number, TenantRouting>();

  async function load(tenantId: number): Promise<TenantRouting> {
    const [agentRows, groupRows, memberRows, poolRows] = await Promise.all([
      repos.voiceAgents.listAll(tenantId),
      repos.agentGroups.listAll(tenantId),
      repos.groupMemberships.listAll(tenantId),
      repos.providerPools.listAll(tenantId),
    ]);
    const pools = new Map<number, PoolRoute>(poolRows.map((p) => [Number(p.id), { id: Number(p.id), maxConcurrentCalls: Number(p.max_concurrent_calls) }]));
    const agents = new Map<number, AgentRoute>();
    for (const a of agentRows) {
      agents.set(Number(a.id), {
        id: Number(a.id),
        enabled: Number(a.enabled) === 1,
        provider: a.provider,
        transport: findProvider(a.provider)?.transport ?? 'sip',
        serviceValue: a.service_value,
        username: a.username_sealed ? secretBox.open(a.username_sealed) : null,
        password: a.password_sealed ? secretBox.open(a.password_sealed) : null,
        maxConcurrentCalls: a.max_concurrent_calls === null ? null : Number(a.max_concurrent_calls),
        markedUnhealthy: a.health_status === 'unhealthy',
        dialOptions: parseStoredDialOptions(readJson<unknown>(a.dial_options, null)),
        pool: a.pool_id === null ? null : (pools.get(Number(a.pool_id)) ?? null),
      });
    }
    const members = new Map<number, MemberRoute[]>();
    for (const m of memberRows) {
      if (!agents.has(Number(m.agent_id))) continue;
      const list = members.get(Number(m.group_id)) ?? [];
      list.push({ agentId: Number(m.agent_id), priority: Number(m.priority), capacity: Math.max(1, Number(m.capacity)) });
      members.set(Number(m.group_id), list);
    }
    const groups = new Map<number, GroupRoute>();
    for (const g of groupRows) {
      groups.set(Number(g.id), {
        id: Number(g.id),
        enabled: Number(g.enabled) === 1,
        strategy: g.strategy as StrategyName,
        settings: groupSettings(g.settings),
        members: members.get(Number(g.id)) ?? [],
      });
    }
    return { agents, groups, pools };
  }

  /** The cached entry when it holds `version` and is young enough to trust. */
  function current(tenantId: number, version: number): Entry | undefined {
    const hit = cache.get(tenantId);
    return hit && hit.version === version && Date.now() - hit.loadedAt < MAX_AGE_MS ? hit : undefined;
  }

  function atVersion(tenantId: number, version: number): Promise<TenantRouting> {
    const fresh = current(tenantId, version);
    if (fresh) return fresh.config;
    const hit = cache.get(tenantId);
    // Read the version before loading: a write committed meanwhile bumps it again, so this load can never hide it.
    // While the database is away, calls keep routing on the configuration already loaded (tried again next call).
    const config = load(tenantId).catch((err: unknown) => {
      if (hit && isDatabaseUnavailable(err)) {
        cache.delete(tenantId);
        return hit.config;
      }
      throw err;
    });
    const entry: Entry = { version, loadedAt: Date.now(), config };
    cache.set(tenantId, entry);
    config.then(
      (c) => {
        loaded.set(tenantId, c);
        entry.ready = c;
      },
      () => {},
    );
    config.catch(() => {
      if (cache.get(tenantId) === entry) cache.delete(tenantId);
    });
    return config;
  }

  return {
    /** The tenant's routing configuration as of the last committed write on any instance. */
    async get(tenantId: number): Promise<TenantRouting> {
      return atVersion(tenantId, await plane.peekCounter(planeKeys.configVersion(tenantId)));
    },

    /**
     * The configuration at a version the caller read from the plane itself (the voice flow reads
     * it in its claim's round trip): the cached one when it is that version, else loaded.
     */
    atVersion,

    /** `atVersion`'s answer at once when it is loaded already (no promise); undefined: ask `atVersion`. */
    readyAt(tenantId: number, version: number): TenantRouting | undefined {
      return current(tenantId, version)?.ready;
    },

    /**
     * The configuration this instance last loaded for the tenant, without asking the plane
     * whether it moved since (undefined when none is loaded, or loading): for releasing a
     * call's pool slots, where any recent snapshot names the tenant's pools.
     */
    peek(tenantId: number): TenantRouting | undefined {
      return loaded.get(tenantId);
    },

    /** Call after committing a change to the tenant's agents, groups or members. */
    async changed(tenantId: number): Promise<void> {
      cache.delete(tenantId);
      try {
        await plane.incr(planeKeys.configVersion(tenantId));
      } catch (err) {
        // The write is committed; other instances catch up within MAX_AGE_MS.
        logger.warn({ err, tenantId }, 'could not announce a routing configuration change');
      }
    },
  };
}
export type RoutingConfig = ReturnType<typeof createRoutingConfig>;
