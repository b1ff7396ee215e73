import { Gauge, type Registry } from 'prom-client';
import type { Plane } from '../plane/plane.js';
import type { Repositories } from '../store/index.js';
import type { CallMetrics } from './call-metrics.js';
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';
import { readLiveSlots } from './live-slot-counts.js';
import { planeKeys } from './plane-keys.js';

interface Deps {
  registry: Registry;
  repos: Repositories;
  plane: Plane;
  calls: CallMetrics;
  clock: Clock;
  logger: Logger;
  /** This instance's readiness (0 while draining); the gauge is left out when absent. */
  ready?: (() => boolean) | undefined;
}

interface AgentLoad {
  tenant: string;
  agent: string;
  cap: number | null;
  live: number;
}

/**
 * Gauges read when Prometheus scrapes, not kept up to date by every call: live calls
 * per agent (the live-call slots routing counts against the caps, in the plane) and
 * each agent's cap, whether the plane is degraded, and readiness. A scrape costs one
 * query (every agent with its tenant's domain and cap) and one plane read per
 * thousand agents; the label sets are the configured agents. A failed read never
 * fails the scrape: those gauges are left empty and the failure is counted (seen
 * from the next scrape: the counters are read while the gauges read).
 */
export function installLiveCallGauges({ registry, repos, plane, calls, clock, logger, ready }: Deps): void {
  let pending: Promise<AgentLoad[] | null> | null = null;

  async function readLoads(): Promise<AgentLoad[] | null> {
    let agents;
    try {
      agents = await repos.voiceAgents.listCapacities();
    } catch (err) {
      calls.databaseError('scrape');
      logger.warn({ err }, 'metrics: could not read the agents; live-call gauges left out of this scrape');
      return null;
    }
    const keys = agents.map((a) => planeKeys.agentSlots(Number(a.tenant_id), Number(a.id)));
    let live: number[];
    try {
      live = await readLiveSlots(plane, keys, clock());
    } catch (err) {
      calls.planeError('scrape');
      logger.warn({ err }, 'metrics: could not read the live-call slots; live-call gauges left out of this scrape');
      return null;
    }
    return agents.map((a, i) => ({
      tenant: a.domain,
      agent: String(a.id),
      cap: a.max_concurrent_calls === null ? null : Number(a.max_concurrent_calls),
      live: live[i] ?? 0,
    }));
  }

  /** Both gauges are collected in the same scrape: they share one read. */
  function loads(): Promise<AgentLoad[] | null> {
    pending ??= readLoads().finally(() => {
      pending = null;
    });
    return pending;
  }

  new Gauge({
    name: 'vlb_live_calls',
    help: 'Live calls per agent now (the live-call slots routing counts against the cap), by tenant domain and agent',
    labelNames: ['tenant', 'agent'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const l of (await loads()) ?? []) this.set({ tenant: l.tenant, agent: l.agent }, l.live);
    },
  });
  new Gauge({
    name: 'vlb_agent_capacity',
    help: 'Concurrent calls an agent may take (absent when uncapped), by tenant domain and agent',
    labelNames: ['tenant', 'agent'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const l of (await loads()) ?? []) if (l.cap !== null) this.set({ tenant: l.tenant, agent: l.agent }, l.cap);
    },
  });
  new Gauge({
    name: 'vlb_plane_degraded',
    help: '1 while Redis is away and this instance routes from its own memory',
    registers: [registry],
    collect() {
      this.set(plane.degraded ? 1 : 0);
    },
  });
  if (ready) {
    new Gauge({
      name: 'vlb_ready',
      help: '1 while this instance takes new calls; 0 while it drains before stopping',
      registers: [registry],
      collect() {
        this.set(ready() ? 1 : 0);
      },
    });
  }
}
