import { z } from 'zod';
import { callRecordView, callStatsView } from './call-records.js';

/**
 * The real-time protocol of `GET /ws` (README "Real time"): the events a dashboard
 * receives, their data, the system frames around them and what a client may send.
 * Shared with the UI, so both sides read the same shapes.
 */

/** Which channel each event is published on: one per kind of data a page shows. */
export const realtimeChannels = {
  'call.started': 'calls',
  'call.routed': 'calls',
  'call.status.updated': 'calls',
  'call.ended': 'calls',
  'agent.updated': 'agents',
  'group.updated': 'groups',
  'rule.changed': 'rules',
  'metrics.updated': 'metrics',
} as const;
export type RealtimeEventName = keyof typeof realtimeChannels;
export const realtimeEventNames = Object.keys(realtimeChannels) as RealtimeEventName[];

/** A call as it stands after the write that raised the event (names are left to the client's agent and group lists). */
export const realtimeCall = callRecordView.omit({ agent_name: true, group_name: true, fallback_target: true, caller_agent_id: true, caller_agent_name: true });
export type RealtimeCall = z.infer<typeof realtimeCall>;

/** An agent or group was created, changed or deleted; `id` is null when the write does not name one (a deletion). */
export const realtimeEntityChange = z.object({ id: z.number().int().nullable() });

export const realtimeRuleChange = z.object({
  direction: z.enum(['inbound', 'outbound']),
  action: z.enum(['created', 'updated', 'deleted', 'reordered']),
  id: z.number().int().nullable(),
});
export type RealtimeRuleChange = z.infer<typeof realtimeRuleChange>;

/**
 * Live calls and today's numbers (as GET /api/calls/stats). `through_id`: the snapshot
 * includes every call event up to that id; null while calls were still settling.
 */
export const realtimeMetrics = callStatsView.extend({ through_id: z.number().int().nullable() });
export type RealtimeMetrics = z.infer<typeof realtimeMetrics>;

export const realtimeEventData = {
  'call.started': realtimeCall,
  'call.routed': realtimeCall,
  'call.status.updated': realtimeCall,
  'call.ended': realtimeCall,
  // health_status only when failures took the agent out of rotation or a success brought it back.
  'agent.updated': realtimeEntityChange.extend({ health_status: z.enum(['healthy', 'unhealthy']).optional(), unhealthy_reason: z.enum(['failures', 'short_calls']).optional() }),
  'group.updated': realtimeEntityChange,
  'rule.changed': realtimeRuleChange,
  'metrics.updated': realtimeMetrics,
} satisfies Record<RealtimeEventName, z.ZodType>;
export type RealtimeEventData<E extends RealtimeEventName> = z.infer<(typeof realtimeEventData)[E]>;

/** Why a client is told to refetch instead of receiving what it missed. */
export const resyncReasons = ['too_far_behind', 'unknown_id', 'slow_client'] as const;
export type ResyncReason = (typeof resyncReasons)[number];

/**
 * Frames of the `system` channel. They carry the id of the last event the connection
 * was given, so ids on one connection never go down and a client may keep the id of
 * any frame as its "last id seen".
 */
export const realtimeSystemData = {
  /** Authenticated; the replay (or resync) is done and live events follow. */
  ready: z.object({ tenant_id: z.number().int(), replayed: z.number().int(), resync: z.boolean() }),
  /** What happened since `id` cannot be replayed: refetch, then carry on from this frame's id. */
  resync: z.object({ reason: z.enum(resyncReasons) }),
  pong: z.object({}),
  error: z.object({ code: z.enum(['bad_message', 'already_authenticated']), message: z.string() }),
};
export type RealtimeSystemEvent = keyof typeof realtimeSystemData;
export type RealtimeSystemData<E extends RealtimeSystemEvent> = z.infer<(typeof realtimeSystemData)[E]>;

/** Every frame the server sends. */
export const realtimeFrame = z.object({
  id: z.number().int(),
  channel: z.string(),
  event: z.string(),
  data: z.unknown(),
  ts: z.string(),
});
export type RealtimeFrameView = z.infer<typeof realtimeFrame>;

const lastId = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const token = z.string().min(1).max(200);

/** `GET /ws?token=…&last_id=…`; both optional (the token may come in the first message instead). */
export const realtimeQuery = z.object({ token: token.optional(), last_id: lastId.optional() });

/** What a client may send: `auth` first when the token is not in the URL, then `ping` at will. */
export const realtimeClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auth'), token, last_id: lastId.optional() }),
  z.object({ type: z.literal('ping') }),
]);
export type RealtimeClientMessage = z.infer<typeof realtimeClientMessage>;

/** Close codes a client should act on: 4401 means sign in again; 1012, 4408 and 1001 mean reconnect (1012 at once: the server is restarting and another instance takes it). */
export const realtimeCloseCodes = {
  goingAway: 1001,
  /** Service Restart (RFC 6455 registry): this instance is shutting down. */
  restarting: 1012,
  unavailable: 1011,
  badMessages: 4400,
  unauthenticated: 4401,
  slowClient: 4408,
} as const;

/** Tokens that stopped working (signed out, refreshed, user deactivated): their sockets close on every instance. */
export const revokedTokens = z.union([
  z.object({ tenantId: z.number().int(), tokenId: z.number().int() }),
  z.object({ tenantId: z.number().int(), userId: z.number().int() }),
]);
export type RevokedTokens = z.infer<typeof revokedTokens>;
