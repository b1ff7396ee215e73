import { notFound } from '../core/errors.js';
import type { Actor } from '../core/principal.js';
import type { EndCallResult } from '../core/schemas/call-records.js';
import type { Repositories } from '../store/index.js';
import { toCallRecordView } from './call-records-service.js';
import type { Clock } from './clock.js';
import type { CallLife } from './routing/call-life.js';
import { DuplicateEvent } from './routing/call-recorder.js';
import { factsOfRow } from './routing/stored-facts.js';
import { tellStory } from '../core/lifecycle/tell-story.js';
import { readSettings } from './tenant-service.js';

/**
 * Hangs up the real call at Cloudonix when the tenant has connected it (services/cloudonix):
 * ending a call here closes its record and frees its slot, and the caller's leg is hung up
 * too. It never throws: the record is closed whatever Cloudonix answers.
 */
export type HangUpCall = (tenantId: number, sessionToken: string) => Promise<void>;

/** How the call was ended: by the stale-call end (default), or by the hang-up that already hung it up at Cloudonix. */
export interface EndOptions {
  /** Cloudonix was told to hang up first (call control): the timeline and audit say `call.hung_up`. */
  hungUp?: boolean;
  /** Whether Cloudonix still had the session when it was hung up. */
  presentAtCloudonix?: boolean;
}

interface Deps {
  repos: Repositories;
  /** Lazy: the routing (and its call life) is built after the live-call service. */
  life: () => CallLife;
  clock: Clock;
  hangUp?: HangUpCall | undefined;
}

/**
 * An admin ends a live call whose end never came. The call's story is closed the
 * way the sweeper closes an expired one (a `closed` event through the call life),
 * so its slot is released and its end counted once; the outcome says `ended_by_admin`.
 * Ending a call that has already ended changes nothing (and writes no audit row).
 */
export function createLiveCallEnder({ repos, life, clock, hangUp }: Deps) {
  return async function endLiveCall(actor: Actor, id: number, options: EndOptions = {}): Promise<EndCallResult> {
    const eventType = options.hungUp ? 'call.hung_up' : 'call.ended_by_admin';
    const { tenantId } = actor.principal;
    const row = await repos.callRecords.findNamed(tenantId, id);
    if (!row) throw notFound('Call record');
    if (tellStory(factsOfRow(row)).ended) return { ended_now: false, call: toCallRecordView(row) };
    const tenant = await repos.tenants.findById(tenantId);
    if (!tenant) throw notFound('Call record');
    const now = clock();
    let endedNow = false;
    try {
      const recorded = await life().record(
        { tenantId, domain: tenant.domain, health: readSettings(tenant).health },
        { sessionToken: row.session_token, direction: row.direction, from: row.from_number, to: row.to_number },
        [{ eventType, event: { kind: 'closed', at: now }, payload: { user_id: actor.principal.userId, ...(options.hungUp ? { at_cloudonix: options.presentAtCloudonix ?? true } : {}) } }],
      );
      // Only the write that ended the call says so (two admins at once: one of them).
      endedNow = recorded.ended !== null && recorded.ended.outcome === 'ended_by_admin';
    } catch (err) {
      // Two admins at once: the other's write went first, and closed it.
      if (!(err instanceof DuplicateEvent)) throw err;
    }
    const after = (await repos.callRecords.findNamed(tenantId, id)) ?? row;
    const view = toCallRecordView(after);
    if (endedNow) {
      await repos.auditLog.insert(tenantId, {
        userId: actor.principal.userId,
        action: options.hungUp ? 'call.hung_up' : 'call.ended',
        entityType: 'call_record',
        entityId: id,
        before: { status: row.status, session_token: row.session_token },
        after: { status: view.status, outcome_reason: view.outcome_reason },
        ip: actor.ip,
        at: now,
      });
      if (!options.hungUp) await hangUp?.(tenantId, row.session_token);
    }
    return { ended_now: endedNow, call: view };
  };
}
export type EndLiveCall = ReturnType<typeof createLiveCallEnder>;
