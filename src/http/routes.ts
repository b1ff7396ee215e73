import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import agentGroups from './agent-groups.js';
import alerts from './alerts.js';
import analytics from './analytics.js';
import { publicAuthRoutes, sessionRoutes } from './auth.js';
import callRecords from './call-records.js';
import cdrs from './cdrs.js';
import liveCalls from './live-calls.js';
import callControl from './call-control.js';
import occupancy from './occupancy.js';
import inboundRoutingRules from './inbound-routing-rules.js';
import invitations, { publicInvitationRoutes } from './invitations.js';
import { operationsRoutes } from './operations.js';
import outboundRoutingRules from './outbound-routing-rules.js';
import passwordRoutes, { publicPasswordRoutes } from './passwords.js';
import { limitApiRequests } from './plugins/api-rate-limit.js';
import { requireAuthentication } from './plugins/authenticate.js';
import providerPools from './provider-pools.js';
import providers from './providers.js';
import realtime from './realtime.js';
import routingSimulate from './routing-simulate.js';
import tenant from './tenant.js';
import users from './users.js';
import voiceAgents from './voice-agents.js';
import webhooks from './webhooks.js';
import auditLog from './audit-log.js';
import privacy from './privacy.js';
import webhookAudit from './webhook-audit.js';
import exportsRoutes from './exports.js';
import cloudonix from './cloudonix.js';
import cloudonixSetup from './cloudonix-setup.js';
import testCalls from './test-calls.js';

/**
 * Every route of the service, in one list. Tenant routes live in one encapsulated
 * context whose onRequest hook authenticates and applies the role guard; public
 * routes and (later) Cloudonix webhooks live in sibling contexts with their own checks.
 */
export function registerRoutes(metrics: Registry): FastifyPluginAsync {
  return async (app) => {
    await app.register(operationsRoutes(metrics));
    await app.register(publicAuthRoutes);
    await app.register(publicPasswordRoutes);
    await app.register(publicInvitationRoutes);
    await app.register(webhooks);
    // GET /ws authenticates by itself (token in the URL or first message): browsers cannot set headers on a WebSocket.
    await app.register(realtime);

    await app.register(async (tenantScope) => {
      // Per address before authentication, per token after it: one store, shared through Redis when present.
      limitApiRequests(tenantScope);
      requireAuthentication(tenantScope);
      await tenantScope.register(sessionRoutes);
      await tenantScope.register(users);
      await tenantScope.register(invitations);
      await tenantScope.register(passwordRoutes);
      await tenantScope.register(tenant);
      await tenantScope.register(providers);
      await tenantScope.register(voiceAgents);
      await tenantScope.register(testCalls);
      await tenantScope.register(providerPools);
      await tenantScope.register(agentGroups);
      await tenantScope.register(routingSimulate);
      await tenantScope.register(callRecords);
      await tenantScope.register(cdrs);
      await tenantScope.register(liveCalls);
      await tenantScope.register(callControl);
      await tenantScope.register(analytics);
      await tenantScope.register(occupancy);
      await tenantScope.register(inboundRoutingRules);
      await tenantScope.register(outboundRoutingRules);
      await tenantScope.register(webhookAudit);
      await tenantScope.register(auditLog);
      await tenantScope.register(privacy);
      await tenantScope.register(exportsRoutes);
      await tenantScope.register(alerts);
      await tenantScope.register(cloudonix);
      await tenantScope.register(cloudonixSetup);
    });
  };
}
