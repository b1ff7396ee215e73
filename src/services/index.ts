import type { Config } from '../core/config.js';
import { createSecretBox } from '../core/secret-box.js';
import type { Plane } from '../plane/plane.js';
import type { Store } from '../store/database.js';
import { createRepositories } from '../store/index.js';
import { createAgentGroupsService } from './agent-groups-service.js';
import { createAgentHealth } from './agent-health.js';
import { createAnalyticsService } from './analytics/analytics-service.js';
import { createSplitAnalyticsService } from './analytics/split-analytics-service.js';
import { createRollups } from './analytics/rollups.js';
import { createAccountMailer } from './accounts/account-mail.js';
import { createAlertsService } from './alerts/alerts-service.js';
import { createInvitationsService } from './accounts/invitations-service.js';
import { createProviderPoolsService } from './provider-pools-service.js';
import { createPasswordsService } from './accounts/passwords-service.js';
import { createAuthService } from './auth-service.js';
import { createCallRecordsService } from './call-records-service.js';
import { createCloudonixServices } from './cloudonix/index.js';
import { createCallControl } from './cloudonix/call-control.js';
import { createHangUpSeam } from './cloudonix/hang-up-seam.js';
import { createTestCalls } from './cloudonix/test-calls.js';
import { createMetrics, type Metrics } from './call-metrics.js';
import { installLiveCallGauges } from './live-call-gauges.js';
import { createLiveCallsService } from './live-calls-service.js';
import { createLiveCallEnder } from './end-live-call.js';
import { createOccupancyService } from './occupancy-service.js';
import { systemClock, type Clock } from './clock.js';
import { createDistributionService } from './distribution-service.js';
import { createDrainState } from './drain-state.js';
import { createHealthService } from './health-service.js';
import { createInboundRulesService } from './inbound-rules-service.js';
import type { Logger } from './logger.js';
import { createOutboundRulesService } from './outbound-rules-service.js';
import { createRouting } from './routing/index.js';
import { createRoutingConfig } from './routing-config.js';
import { createTenantService } from './tenant-service.js';
import { createUsersService } from './users-service.js';
import { createWebhookWiring } from './webhook-wiring.js';
import { createVoiceAgentsService } from './voice-agents-service.js';
import { createAuditViewsService } from './audit-views-service.js';
import { createPrivacyService } from './privacy-service.js';
import { createRetentionService } from './retention-service.js';
import type { BullmqConnection } from './exports/bullmq-queue.js';
import { createExportsService } from './exports/exports-service.js';
import { createRealtime } from './realtime/index.js';

export interface ServiceDeps {
  config: Config;
  store: Store;
  plane: Plane;
  logger: Logger;
  clock?: Clock;
  /** BullMQ's own Redis connection and key prefix, when REDIS_URL is set: export jobs go there. */
  exportQueueRedis?: BullmqConnection | undefined;
  /** The process's metrics, when the caller counts into them before the services exist (plane errors); else made here. */
  metrics?: Metrics | undefined;
}

/** The composition root of the use cases: built once per process and handed to the HTTP layer. */
export function createServices({ config, store, plane, logger, clock = systemClock, exportQueueRedis, metrics = createMetrics() }: ServiceDeps) {
  if (!config.appKey) throw new Error('APP_KEY must be resolved before the services are built');
  const repos = createRepositories(store);
  const secretBox = createSecretBox(config.appKey);
  // The Cloudonix REST API and each tenant's connection to it; a connection change reaches every instance's tenant cache.
  const cloudonix = createCloudonixServices({ config, store, repos, secretBox, clock, logger, onConnectionChange: (tenantId) => routing.directory.announceChange(tenantId) });
  const routingConfig = createRoutingConfig(repos, secretBox, plane, logger);
  const onConfigChange = (tenantId: number) => routingConfig.changed(tenantId);
  // Ending a stale call goes through the routing's call life (built below), as the sweeper's closing does.
  // Once Cloudonix is connected, ending a stale call hangs it up there too.
  const hangUp = createHangUpSeam({ api: cloudonix.api, accessFor: cloudonix.connection.accessFor, logger });
  const endLiveCall = createLiveCallEnder({ repos, clock, life: () => routing.life, hangUp });
  const liveCalls = createLiveCallsService({ repos, clock, end: endLiveCall });
  // Set by the shutdown signal: /ready fails at once and responses close their connections (cli/serve.ts).
  const drain = createDrainState(clock);
  installLiveCallGauges({ registry: metrics.registry, repos, plane, calls: metrics.calls, clock, logger, ready: () => !drain.draining });
  // Dashboards' events (GET /ws): raised by the writes below, never awaited by them.
  const realtime = createRealtime({ config: config.realtime, plane, clock, logger, stats: (tenantId) => liveCalls.stats(tenantId) });
  // Alerts hear health changes too; they are built below, from the health they watch.
  const agentHealth = createAgentHealth(plane, clock, logger, (tenantId, agentId, healthy, ...why) => {
    realtime.agentHealthChanged(tenantId, agentId, healthy, ...why);
    alerts.healthChanged(tenantId, agentId, healthy, ...why);
  });
  const distribution = createDistributionService({ config: routingConfig, plane, health: agentHealth, clock, logger });
  const inboundRules = createInboundRulesService({ store, repos, plane, clock, logger, onChange: realtime.ruleChanged });
  const outboundRules = createOutboundRulesService({ store, repos, plane, clock, logger, onChange: realtime.ruleChanged });
  const rollups = createRollups(repos, clock, logger);
  const routing = createRouting({
    store,
    repos,
    plane,
    secretBox,
    config: routingConfig,
    distribution,
    health: agentHealth,
    rollupDays: rollups.days,
    onCallWrite: (write) => realtime.callWritten(write),
    ruleLoaders: { inbound: (tenantId) => inboundRules.listCompiled(tenantId), outbound: (tenantId) => outboundRules.listCompiled(tenantId) },
    rejectionLimits: config.webhookRejections,
    metrics: metrics.calls,
    // Tenants that verify unknown sessions ask Cloudonix with their own key (undefined: not connected).
    findSession: async (tenantId, token) => {
      const access = await cloudonix.connection.accessFor(tenantId);
      return access ? cloudonix.api.getSession(access, token) : undefined;
    },
    // Half of what we send a domain: the rest stays for setup, test calls and call control.
    sessionChecksPer10s: Math.max(1, Math.floor(config.cloudonixRequestsPer10s / 2)),
    verifiesUnknownSessions: (tenantId) => cloudonix.connection.verifiesUnknownSessions(tenantId),
    clock,
    logger,
  });
  const auth = createAuthService({
    store,
    repos,
    secretBox,
    clock,
    logger,
    tokenTtlDays: config.tokenTtlDays,
    signup: config.signup,
    passwordResetEmail: config.smtpUrl !== undefined && config.publicUrl !== undefined,
    passwordHashing: config.passwordHashing,
    onTokensRevoked: realtime.tokensRevoked,
  });
  const accountMail = createAccountMailer(config.smtpUrl, config.mailFrom, logger);
  const occupancy = createOccupancyService({ repos, plane, clock });
  const alerts = createAlertsService({ repos, plane, clock, logger, secretBox, mailer: accountMail, agentHealth, occupancy, publicUrl: config.publicUrl, config: config.alerts });
  const exportJobs = createExportsService({ config, store, repos, clock, logger, queueRedis: exportQueueRedis, metrics: metrics.calls });
  const callControl = createCallControl({ repos, api: cloudonix.api, requireAccess: cloudonix.connection.requireAccess, config: routingConfig, distribution, life: () => routing.life, endLiveCall, clock, logger });
  return {
    repos,
    secretBox,
    /** Prometheus registry (served at /metrics) and the call counters. */
    metrics,
    auth,
    users: createUsersService({ store, repos, clock, onTokensRevoked: realtime.tokensRevoked }),
    invitations: createInvitationsService({ store, repos, clock, auth, mailer: accountMail }),
    passwords: createPasswordsService({ store, repos, clock, logger, auth, mailer: accountMail, publicUrl: config.publicUrl, onTokensRevoked: realtime.tokensRevoked }),
    tenant: createTenantService({
      store,
      repos,
      secretBox,
      clock,
      onChange: (tenantId) => routing.directory.announceChange(tenantId),
      onTimeZoneChange: (tenantId) => rollups.rebuildTenant(tenantId),
      wiring: createWebhookWiring(repos, clock),
      previousSecretUsedAt: (tenantId, expiresAt) => routing.directory.previousSecretUsedAt(tenantId, expiresAt),
    }),
    drain,
    health: createHealthService(store, plane, drain, logger),
    voiceAgents: createVoiceAgentsService({
      store,
      repos,
      secretBox,
      clock,
      agentHealth,
      onConfigChange: async (tenantId, result) => {
        realtime.agentChanged(tenantId, result);
        await onConfigChange(tenantId);
      },
    }),
    agentHealth,
    providerPools: createProviderPoolsService({ store, repos, clock, onConfigChange }),
    agentGroups: createAgentGroupsService({
      store,
      repos,
      clock,
      onConfigChange: async (tenantId, result) => {
        realtime.groupChanged(tenantId, result);
        await onConfigChange(tenantId);
      },
    }),
    callRecords: createCallRecordsService({ repos }),
    liveCalls,
    realtime,
    distribution,
    inboundRules,
    outboundRules,
    routing,
    rollups,
    analytics: createAnalyticsService(repos, rollups, clock, liveCalls.activeCount),
    splitAnalytics: createSplitAnalyticsService({ store, repos, clock }),
    occupancy,
    alerts,
    auditViews: createAuditViewsService({ repos }),
    retention: createRetentionService({ store, plane, clock, logger }),
    privacy: createPrivacyService({ store, repos, clock, appKey: config.appKey }),
    exports: exportJobs,
    cloudonix: {
      ...cloudonix,
      /** Hang-up and hand-off of live calls at Cloudonix (they need the routing, built after the connection). */
      callControl,
      /** Test calls to an agent: placed at Cloudonix, recorded through the routing's call life (built after the connection). */
      testCalls: createTestCalls({ repos, api: cloudonix.api, requireAccess: cloudonix.connection.requireAccess, secretBox, config: routingConfig, distribution, life: () => routing.life, clock, logger }),
    },
    /** Subscriptions that keep caches coherent across instances; call once after building. */
    start: async () => {
      await routing.start();
      await realtime.start();
      alerts.start();
    },
    stop: async () => {
      // Dashboards are told to reconnect elsewhere, and events raised so far are stored, before the rest stops.
      await realtime.stop();
      await alerts.stop();
      await routing.stop();
      await callControl.close();
      await rollups.close();
      // A running export stops at its next page and is queued again for later.
      await exportJobs.close();
      await auth.close();
      accountMail.close();
    },
  };
}
export type Services = ReturnType<typeof createServices>;
