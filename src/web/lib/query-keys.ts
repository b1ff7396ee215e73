/**
 * The first element of every query key, by the data it holds. Features build their
 * keys from these, and the live-event hook invalidates by them, so an event such as
 * `call.ended` refreshes every list and counter that shows calls.
 */
export const queryRoots = {
  me: 'auth',
  calls: 'calls',
  callRecords: 'call-records',
  cdrs: 'cdrs',
  analytics: 'analytics',
  agents: 'agents',
  providers: 'providers',
  groups: 'groups',
  inboundRules: 'inbound-rules',
  outboundRules: 'outbound-rules',
  exports: 'exports',
  webhookAudit: 'webhook-audit',
  auditLog: 'audit-log',
  users: 'users',
  tenant: 'tenant',
  cloudonix: 'cloudonix',
} as const;

export type QueryRoot = (typeof queryRoots)[keyof typeof queryRoots];
