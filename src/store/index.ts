import { createAgentGroupStore } from './agent-groups.js';
import { createAlertStore } from './alerts.js';
import { createApiTokenStore } from './api-tokens.js';
import { createAppMetaStore } from './app-meta.js';
import { createAuditLogStore } from './audit-log.js';
import { createCallEventStore } from './call-events.js';
import { createCallRecordStore } from './call-records.js';
import { createCallRollupStore } from './call-rollups.js';
import { createCdrStore } from './cdrs.js';
import { createCloudonixConnectionStore } from './cloudonix-connections.js';
import { createEntityNameStore } from './entity-names.js';
import type { Store } from './database.js';
import { createGroupMembershipStore } from './group-memberships.js';
import { createInboundRuleStore } from './inbound-rules.js';
import { createInvitationStore } from './invitations.js';
import { createOutboundRuleStore } from './outbound-rules.js';
import { createPasswordResetStore } from './password-resets.js';
import { createProviderPoolStore } from './provider-pools.js';
import { createRoutedCallStore } from './routed-calls.js';
import { createRuleReferenceStore } from './rule-references.js';
import { createTenantStore } from './tenants.js';
import { createUserStore } from './users.js';
import { createVoiceAgentStore } from './voice-agents.js';
import { createWebhookAuditStore } from './webhook-audit.js';

/** Every repository over one database connection. */
export function createRepositories(store: Store) {
  const callRecords = createCallRecordStore(store);
  // New routed calls add to their day's roll-up in their own transaction.
  const callRollups = createCallRollupStore(store);
  return {
    tenants: createTenantStore(store),
    users: createUserStore(store),
    apiTokens: createApiTokenStore(store),
    invitations: createInvitationStore(store),
    passwordResets: createPasswordResetStore(store),
    auditLog: createAuditLogStore(store),
    appMeta: createAppMetaStore(store),
    voiceAgents: createVoiceAgentStore(store),
    providerPools: createProviderPoolStore(store),
    agentGroups: createAgentGroupStore(store),
    groupMemberships: createGroupMembershipStore(store),
    ruleReferences: createRuleReferenceStore(store),
    inboundRules: createInboundRuleStore(store),
    outboundRules: createOutboundRuleStore(store),
    callRecords,
    routedCalls: createRoutedCallStore(store, callRecords, callRollups),
    callEvents: createCallEventStore(store),
    cdrs: createCdrStore(store),
    callRollups,
    webhookAudit: createWebhookAuditStore(store),
    entityNames: createEntityNameStore(store),
    alerts: createAlertStore(store),
    cloudonixConnections: createCloudonixConnectionStore(store),
  };
}
export type Repositories = ReturnType<typeof createRepositories>;
