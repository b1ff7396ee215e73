import { AppError, notFound } from '../../core/errors.js';
import type { Actor } from '../../core/principal.js';
import { tellStory } from '../../core/lifecycle/tell-story.js';
import type { AgentCall } from '../../core/routing/agent-verb.js';
import { renderCxml } from '../../core/routing/cxml.js';
import type { HandOffBody, HandOffResult } from '../../core/schemas/call-control.js';
import type { EndCallResult } from '../../core/schemas/call-records.js';
import type { NamedCallRecordRow } from '../../store/call-records.js';
import { isDatabaseUnavailable } from '../../store/dialect.js';
import type { Repositories } from '../../store/index.js';
import { toCallRecordView } from '../call-records-service.js';
import type { Clock } from '../clock.js';
import type { DistributionService } from '../distribution-service.js';
import type { EndLiveCall } from '../end-live-call.js';
import type { Logger } from '../logger.js';
import type { CallLife } from '../routing/call-life.js';
import { createDeferredWrites } from '../routing/deferred-writes.js';
import type { NewCall } from '../routing/call-recorder.js';
import { factsOfRow } from '../routing/stored-facts.js';
import type { RoutingConfig } from '../routing-config.js';
import { readSettings } from '../tenant-service.js';
import { CloudonixFailure, type CloudonixAccess, type CloudonixApi } from './cloudonix-api.js';
import { cloudonixFailureToAppError } from './cloudonix-errors.js';
import { createHandOffTargets, type HandOffTarget } from './handoff-target.js';

interface Deps {
  repos: Repositories;
  api: CloudonixApi;
  /** The tenant's Cloudonix access, or 409 cloudonix_not_connected in words (the connection service's). */
  requireAccess: (tenantId: number) => Promise<CloudonixAccess>;
  config: RoutingConfig;
  distribution: DistributionService;
  /** Lazy: the routing (and its call life) is built after the services that use this. */
  life: () => CallLife;
  endLiveCall: EndLiveCall;
  clock: Clock;
  logger: Logger;
}

/**
 * Control of a live call at Cloudonix from the console: hang it up, or hand it off to
 * another agent, a group or a person's number (the session's application switched to new
 * CXML). What the call's story makes of it (who has the call, which slots it holds) is
 * decided in core/lifecycle; the timeline, the audit log and /ws follow the record write.
 */
export function createCallControl({ repos, api, requireAccess, config, distribution, life, endLiveCall, clock, logger }: Deps) {
  const targets = createHandOffTargets({ repos, config, distribution });
  const audits = createHeldAuditWrites(repos, logger);

  /** The live call, else why not: another tenant's or a missing one is 404, an ended one 409. */
  async function liveCall(tenantId: number, id: number): Promise<NamedCallRecordRow> {
    const row = await repos.callRecords.findNamed(tenantId, id);
    if (!row) throw notFound('Call record');
    if (tellStory(factsOfRow(row)).ended) throw new AppError('conflict', 'This call has already ended.', { status: row.status });
    return row;
  }

  /** Cloudonix's failure in words; a session Cloudonix no longer has is a call that ended there. */
  function explained(err: unknown): unknown {
    if (!(err instanceof CloudonixFailure)) return err;
    if (err.kind === 'not_found') return new AppError('conflict', 'Cloudonix has no such live session: the call has already ended there.', { kind: err.kind });
    return cloudonixFailureToAppError(err);
  }

  return {
    /** Audit rows held while the database was away are written before the service stops. */
    close: () => audits.close(),
    /**
     * Hangs the call up at Cloudonix, then closes its record as ended_by_admin through the
     * existing end path (slot released, end counted once; a later CDR corrects the reason).
     * A session Cloudonix had already ended is closed all the same.
     */
    async hangUp(actor: Actor, id: number): Promise<EndCallResult> {
      const { tenantId } = actor.principal;
      const row = await liveCall(tenantId, id);
      const at = await requireAccess(tenantId);
      let present: boolean;
      try {
        present = await api.hangUpSession(at, row.session_token, 'ended by admin');
      } catch (err) {
        throw explained(err);
      }
      return endLiveCall(actor, id, { hungUp: true, presentAtCloudonix: present });
    },

    /**
     * Switches the live call to the target's CXML at Cloudonix. The target's slot is claimed
     * first (refused: 409 in words, nothing switched) and given back if Cloudonix refuses the
     * switch; once switched, a `handoff` event tells the story who took over, and its effects
     * release the slot of the agent that had the call.
     */
    async handOff(actor: Actor, id: number, body: HandOffBody): Promise<HandOffResult> {
      const { tenantId, userId } = actor.principal;
      const row = await liveCall(tenantId, id);
      const tenant = await repos.tenants.findById(tenantId);
      if (!tenant) throw notFound('Call record');
      const story = tellStory(factsOfRow(row));
      const at = await requireAccess(tenantId);
      const call: AgentCall = { session: row.session_token, from: row.from_number, to: row.to_number, domain: tenant.domain, callerName: null, direction: row.direction };
      const target = await targets.resolve(tenantId, body, call, story.agentId);
      try {
        await api.switchSession(at, row.session_token, { cxml: renderCxml([target.verb]) });
      } catch (err) {
        if (target.agentId !== null) await distribution.releaseSlot(tenantId, target.agentId, row.session_token).catch(() => false);
        throw explained(err);
      }
      const now = clock();
      const change = {
        eventType: 'call.handed_off',
        event: { kind: 'handoff' as const, seq: story.handoffs.length + 1, at: now, agentId: target.agentId, groupId: target.groupId, by: userId },
        payload: handOffPayload(target, userId, story.agentId),
      };
      const newCall: NewCall = { sessionToken: row.session_token, direction: row.direction, from: row.from_number, to: row.to_number };
      // Cloudonix has switched the call: from here on a database that goes away delays what we write, never loses it.
      await life().recordOrHold({ tenantId, domain: tenant.domain, health: readSettings(tenant).health }, newCall, [change]);
      await audits.write({
        tenantId,
        entry: {
          userId,
          action: 'call.handed_off',
          entityType: 'call_record',
          entityId: id,
          before: { agent_id: story.agentId, status: row.status },
          after: { target_type: target.type, agent_id: target.agentId, group_id: target.groupId, number: target.number },
          ip: actor.ip,
          at: now,
        },
      });
      logger.info({ tenantId, callRecordId: id, targetType: target.type, agentId: target.agentId }, 'live call handed off');
      const after = (await repos.callRecords.findNamed(tenantId, id).catch((err: unknown) => (isDatabaseUnavailable(err) ? null : Promise.reject(err)))) ?? row;
      return {
        call: toCallRecordView(after),
        handed_to: { type: target.type, agent_id: target.agentId, agent_name: target.agentName, group_id: target.groupId, number: target.number },
      };
    },
  };
}
export type CallControl = ReturnType<typeof createCallControl>;

type AuditEntry = Parameters<Repositories['auditLog']['insert']>[1];

/**
 * Audit rows of what Cloudonix has already done: written at once, or held while the database
 * is away and written when it is back (the action happened, so its trail must not be lost).
 */
function createHeldAuditWrites(repos: Repositories, logger: Logger) {
  const insert = async ({ tenantId, entry }: { tenantId: number; entry: AuditEntry }): Promise<void> => {
    await repos.auditLog.insert(tenantId, entry);
  };
  const held = createDeferredWrites('console action audit rows', insert, logger);
  return {
    async write(item: { tenantId: number; entry: AuditEntry }): Promise<void> {
      try {
        await insert(item);
      } catch (err) {
        if (!isDatabaseUnavailable(err)) throw err;
        held.hold(item);
      }
    },
    close: () => held.close(),
  };
}

/** The timeline entry's details: who handed the call to whom, and whom it left. */
function handOffPayload(target: HandOffTarget, userId: number, fromAgentId: number | null): Record<string, unknown> {
  return { user_id: userId, target_type: target.type, agent_id: target.agentId, group_id: target.groupId, number: target.number, from_agent_id: fromAgentId };
}
