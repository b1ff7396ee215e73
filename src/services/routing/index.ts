import type { SecretBox } from '../../core/secret-box.js';
import type { Plane } from '../../plane/plane.js';
import type { Store } from '../../store/database.js';
import type { Repositories } from '../../store/index.js';
import type { Clock } from '../clock.js';
import type { AgentHealth } from '../agent-health.js';
import type { CallMetrics } from '../call-metrics.js';
import type { DistributionService } from '../distribution-service.js';
import type { Logger } from '../logger.js';
import type { RoutingConfig } from '../routing-config.js';
import { createAgentDialer } from './agent-dialer.js';
import { createCallEventsIngest } from './call-events-ingest.js';
import { createCallLife } from './call-life.js';
import { createLiveStateKeeper } from './live-state-keeper.js';
import { createCallRecorder, type OnCallWrite, type RollupDays } from './call-recorder.js';
import { createRoutePlanner } from './route-planner.js';
import { createRulesCache, type RuleLoaders } from './rules-cache.js';
import { createSessionVerifier, type FindSession } from './session-verifier.js';
import { createTenantDirectory, type VerifiesUnknownSessions } from './tenant-directory.js';
import { createVoiceFlow } from './voice-flow.js';
import { createWebhookAuditWriter } from './webhook-audit-writer.js';
import { createWebhookRejections } from './webhook-rejections.js';
import type { RejectionLimits } from '../../core/webhook-rejection.js';

interface Deps {
  store: Store;
  repos: Repositories;
  plane: Plane;
  secretBox: SecretBox;
  config: RoutingConfig;
  distribution: DistributionService;
  health: AgentHealth;
  ruleLoaders: RuleLoaders;
  /** A tenant's local days: each call write adds its change to its day's roll-up row. */
  rollupDays: RollupDays;
  /** Told of every committed call write with its details (the real-time feed follows it). */
  onCallWrite?: OnCallWrite;
  /** How refused webhooks (unknown domain, wrong secret, unusable body) are limited and sampled. */
  rejectionLimits: RejectionLimits;
  /** Counts decisions, fallbacks, failovers and ended calls. */
  metrics: CallMetrics;
  /** Asks Cloudonix for a session, for tenants that verify sessions we never routed. */
  findSession: FindSession;
  /** Checks of unknown sessions one instance may send Cloudonix per tenant in 10 s. */
  sessionChecksPer10s: number;
  /** Whether a tenant verifies sessions we never routed (read with the tenant, cached with it). */
  verifiesUnknownSessions: VerifiesUnknownSessions;
  clock: Clock;
  logger: Logger;
}

/** Everything the Cloudonix webhooks need, wired once. `start` subscribes to cache invalidations. */
export function createRouting({ store, repos, plane, secretBox, config, distribution, health, ruleLoaders, rollupDays, onCallWrite, rejectionLimits, metrics, findSession, sessionChecksPer10s, verifiesUnknownSessions, clock, logger }: Deps) {
  const directory = createTenantDirectory(repos, secretBox, plane, clock, logger, verifiesUnknownSessions);
  const rules = createRulesCache(ruleLoaders, plane, logger);
  const planner = createRoutePlanner({ config, plane, health, distribution, rules, clock });
  const recorder = createCallRecorder(store, repos, clock, rollupDays, onCallWrite);
  const dialer = createAgentDialer(distribution, clock);
  const audit = createWebhookAuditWriter(repos, clock, logger);
  const rejections = createWebhookRejections({ plane, writeAudit: (entry, at) => audit.record(entry, at), limits: rejectionLimits, clock, logger });
  const life = createCallLife(recorder, distribution, health, metrics, logger);
  const sessions = createSessionVerifier({ find: findSession, plane, clock, logger, count: (result) => metrics.sessionVerified(result), checksPer10s: sessionChecksPer10s });
  return {
    directory,
    rules,
    planner,
    recorder,
    audit,
    rejections,
    life,
    liveState: createLiveStateKeeper({ repos, plane, life, clock, logger }),
    voice: createVoiceFlow({ plane, config, planner, dialer, recorder, life, metrics, clock, logger }),
    sessions,
    ingest: createCallEventsIngest(repos, life, clock, (tenantId, token) => sessions.check(tenantId, token)),
    async start(): Promise<void> {
      await Promise.all([directory.start(), rules.start(), sessions.start()]);
    },
    async stop(): Promise<void> {
      await Promise.all([directory.stop(), rules.stop(), sessions.stop()]);
      await rejections.close();
      await audit.close();
      await life.close();
    },
  };
}
export type Routing = ReturnType<typeof createRouting>;
