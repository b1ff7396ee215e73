import type { ColumnType, Generated } from 'kysely';

/**
 * Row types of every table, as Kysely sees them. Conventions that hold on all
 * three dialects (see docs/sql-dialects.md):
 * - times are UTC epoch milliseconds in BIGINT columns named `*_at`;
 * - flags are 0/1 integers;
 * - JSON is stored as text (jsonb on PostgreSQL) and read back through `readJson`.
 */
type Json = string;

export interface TenantsTable {
  id: Generated<number>;
  name: string;
  domain: string;
  webhook_secret_sealed: string;
  /** The secret a rotation replaced, accepted until `previous_webhook_secret_expires_at`; null otherwise (optional on insert). */
  previous_webhook_secret_sealed: ColumnType<string | null, string | null | undefined, string | null>;
  previous_webhook_secret_expires_at: ColumnType<number | null, number | null | undefined, number | null>;
  settings: Json;
  created_at: number;
  updated_at: number;
}

export interface UsersTable {
  id: Generated<number>;
  tenant_id: number;
  name: string;
  email: string;
  password_hash: string;
  role: string;
  active: number;
  last_login_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface ApiTokensTable {
  id: Generated<number>;
  tenant_id: number;
  user_id: number;
  token_hash: string;
  name: string;
  expires_at: number;
  last_used_at: number | null;
  created_at: number;
}

/** An admin's invitation to join a tenant: pending until accepted, revoked or expired. */
export interface InvitationsTable {
  id: Generated<number>;
  tenant_id: number;
  email: string;
  name: string | null;
  role: string;
  token_hash: string;
  invited_by: number | null;
  expires_at: number;
  accepted_at: number | null;
  revoked_at: number | null;
  created_at: number;
}

/** A single-use link to set a new password. */
export interface PasswordResetsTable {
  id: Generated<number>;
  tenant_id: number;
  user_id: number;
  token_hash: string;
  expires_at: number;
  used_at: number | null;
  created_at: number;
}

export interface AppMetaTable {
  meta_key: string;
  meta_value: string;
}

export interface VoiceAgentsTable {
  id: Generated<number>;
  tenant_id: number;
  name: string;
  provider: string;
  service_value: string;
  username_sealed: string | null;
  password_sealed: string | null;
  enabled: number;
  max_concurrent_calls: number | null;
  description: string | null;
  metadata: Json | null;
  /** DialOptions as JSON (core/schemas/dial-options.ts); null when the agent sets none. */
  dial_options: Json | null;
  health_status: string;
  created_at: number;
  updated_at: number;
  /** The provider pool whose limit the agent's calls also count against (migration 0015); null: none. */
  pool_id: ColumnType<number | null, number | null | undefined, number | null>;
}

/** A provider account's concurrency limit shared by the agents in it (migration 0015). */
export interface ProviderPoolsTable {
  id: Generated<number>;
  tenant_id: number;
  name: string;
  provider: string | null;
  max_concurrent_calls: number;
  created_at: number;
  updated_at: number;
}

export interface AgentGroupsTable {
  id: Generated<number>;
  tenant_id: number;
  name: string;
  strategy: string;
  settings: Json;
  enabled: number;
  created_at: number;
  updated_at: number;
}

export interface AgentGroupMembershipsTable {
  id: Generated<number>;
  tenant_id: number;
  group_id: number;
  agent_id: number;
  priority: number;
  capacity: number;
  created_at: number;
  updated_at: number;
}

export interface InboundRoutingRulesTable {
  id: Generated<number>;
  tenant_id: number;
  name: string | null;
  pattern: string;
  target_type: string;
  target_id: number;
  priority: number;
  position: number;
  enabled: number;
  created_at: number;
  updated_at: number;
  /** When the rule is open (core/schemas/rule-schedule.ts, migration 0013); null: always. */
  schedule: ColumnType<Json | null, Json | null | undefined, Json | null>;
  /** A weighted split's arms (core/schemas/split.ts) when target_type is 'split' (migration 0014); else null. */
  split: ColumnType<Json | null, Json | null | undefined, Json | null>;
}

export interface OutboundRoutingRulesTable {
  id: Generated<number>;
  tenant_id: number;
  name: string;
  caller_id_pattern: string;
  destination_pattern: string;
  trunk_config: Json;
  priority: number;
  position: number;
  enabled: number;
  created_at: number;
  updated_at: number;
}

export interface CallRecordsTable {
  id: Generated<number>;
  tenant_id: number;
  session_token: string;
  direction: string;
  from_number: string | null;
  to_number: string | null;
  status: string;
  agent_id: number | null;
  group_id: number | null;
  rule_id: number | null;
  attempt: number;
  decision_trace: Json | null;
  disposition: string | null;
  started_at: number;
  answered_at: number | null;
  ended_at: number | null;
  duration_seconds: number | null;
  billsec: number | null;
  created_at: number;
  updated_at: number;
  /** What the call's webhooks told, as core/lifecycle CallFacts (null on rows from before it). */
  facts: Json | null;
  outcome_reason: string | null;
  /** Cloudonix's Direction as sent (inbound, subscriber, outbound-api, incoming, ...). */
  cloudonix_direction: string | null;
  /** The label of the split arm the call was routed through (migration 0014); null when no split. */
  variant: string | null;
  /** 1: a test call the console placed to try an agent (migration 0018); analytics leave it out. */
  is_test: Generated<number>;
  /**
   * The payload of a routed call's first answer (migration 0019): set when the first write
   * stored no timeline rows, whose entries are then told from the record (core/lifecycle/first-timeline.ts).
   */
  first_answer: Json | null;
}

export interface CallEventsTable {
  id: Generated<number>;
  tenant_id: number;
  call_record_id: number;
  event_id: string | null;
  event_type: string;
  from_status: string | null;
  to_status: string | null;
  payload: Json | null;
  occurred_at: number;
}

export interface CdrsTable {
  id: Generated<number>;
  tenant_id: number;
  call_record_id: number | null;
  session_token: string | null;
  call_id: string | null;
  from_number: string | null;
  to_number: string | null;
  disposition: string | null;
  duration_seconds: number | null;
  billsec: number | null;
  payload: Json;
  received_at: number;
  /** The CDR's natural key: its session token, else its SIP Call-ID; unique per tenant. */
  dedupe_key: string | null;
}

export interface WebhookAuditTable {
  id: Generated<number>;
  tenant_id: number | null;
  event_type: string;
  method: string;
  path: string;
  session_token: string | null;
  outcome: string;
  status_code: number;
  error: string | null;
  payload: Json | null;
  duration_ms: number | null;
  received_at: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  tenant_id: number;
  user_id: number | null;
  action: string;
  entity_type: string;
  entity_id: number | null;
  before_state: Json | null;
  after_state: Json | null;
  ip: string | null;
  created_at: number;
}

export interface ExportsTable {
  id: Generated<number>;
  tenant_id: number;
  user_id: number | null;
  format: string;
  status: string;
  filters: Json;
  fields: Json;
  progress: number;
  row_count: number;
  file_path: string | null;
  error: string | null;
  expires_at: number | null;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
}

/** Per tenant, how many repairs of its roll-ups were applied (store/rollup-recompute.ts). */
export interface CallRollupGenerationsTable {
  tenant_id: number;
  generation: number;
}

export interface CallDailyRollupsTable {
  id: Generated<number>;
  tenant_id: number;
  day: string;
  agent_id: number;
  group_id: number;
  calls: number;
  answered: number;
  failed: number;
  duration_sum: number;
  duration_count: number;
  updated_at: number;
  /** Calls that skipped an agent at its cap and went to the next one (no fallback). */
  overflowed: ColumnType<number, number | undefined, number>;
  /** Calls the fallback route took, by reason (services/call-metrics.ts FallbackLabel). */
  fb_no_rule: ColumnType<number, number | undefined, number>;
  fb_target_missing: ColumnType<number, number | undefined, number>;
  fb_no_candidate: ColumnType<number, number | undefined, number>;
  fb_all_at_capacity: ColumnType<number, number | undefined, number>;
  fb_attempts_exhausted: ColumnType<number, number | undefined, number>;
  fb_error: ColumnType<number, number | undefined, number>;
}

/** An alert: open (firing, `open_key` set) until its condition ends (resolved, `open_key` null). */
export interface AlertsTable {
  id: Generated<number>;
  tenant_id: number;
  kind: string;
  subject_id: number | null;
  open_key: string | null;
  state: string;
  details: Json;
  fired_at: number;
  resolved_at: number | null;
  acknowledged_at: number | null;
  acknowledged_by: number | null;
}

/** A tenant's alert thresholds and destinations (core/schemas/alert.ts), and its sealed signing secret. */
export interface AlertSettingsTable {
  tenant_id: number;
  settings: Json;
  signing_secret_sealed: string | null;
  updated_at: number;
}

/** A tenant's Cloudonix REST API connection: the domain API key sealed with APP_KEY, never in clear. */
export interface CloudonixConnectionsTable {
  tenant_id: number;
  api_key_sealed: string;
  /** The key's last 4 characters, so an admin can tell which key is set. */
  key_hint: string;
  /** 1: session updates and CDRs for sessions we never routed are checked with Cloudonix first. */
  verify_unknown_sessions: ColumnType<number, number | undefined, number>;
  /** The voice application domain setup made or adopted at Cloudonix. */
  application_id: number | null;
  last_setup_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface Database {
  tenants: TenantsTable;
  users: UsersTable;
  api_tokens: ApiTokensTable;
  invitations: InvitationsTable;
  password_resets: PasswordResetsTable;
  app_meta: AppMetaTable;
  voice_agents: VoiceAgentsTable;
  provider_pools: ProviderPoolsTable;
  agent_groups: AgentGroupsTable;
  agent_group_memberships: AgentGroupMembershipsTable;
  inbound_routing_rules: InboundRoutingRulesTable;
  outbound_routing_rules: OutboundRoutingRulesTable;
  call_records: CallRecordsTable;
  call_events: CallEventsTable;
  cdrs: CdrsTable;
  webhook_audit: WebhookAuditTable;
  audit_log: AuditLogTable;
  exports: ExportsTable;
  call_daily_rollups: CallDailyRollupsTable;
  call_rollup_generations: CallRollupGenerationsTable;
  alerts: AlertsTable;
  alert_settings: AlertSettingsTable;
  cloudonix_connections: CloudonixConnectionsTable;
}
