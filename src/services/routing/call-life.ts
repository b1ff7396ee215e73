import { agentsDialled } from '../../core/lifecycle/repeat-answer.js';
import { repeatEffects, type StoryEffects } from '../../core/lifecycle/story-effects.js';
import type { AnsweredEnd } from '../../core/lifecycle/short-calls.js';
import { tellStory } from '../../core/lifecycle/tell-story.js';
import type { AgentHealth, HealthPolicy } from '../agent-health.js';
import type { CallMetrics } from '../call-metrics.js';
import type { DistributionService } from '../distribution-service.js';
import type { Logger } from '../logger.js';
import { isDatabaseUnavailable } from '../../store/dialect.js';
import { DuplicateEvent, type CallChange, type CallRecorder, type NewCall, type RecordedCall, type RecordOptions } from './call-recorder.js';
import { createDeferredWrites } from './deferred-writes.js';
import { factsOfRow } from './stored-facts.js';

/** A test call the console placed to try an agent (call_records.is_test). */
const isTest = (recorded: RecordedCall): boolean => Number(recorded.record.is_test) === 1;

export interface CallTenant {
  tenantId: number;
  /** The tenant's domain: the `tenant` label of the call metrics. */
  domain: string;
  health: HealthPolicy;
}

/**
 * Records a call's changes and brings the live state in line with its story:
 * slots the call no longer holds are released, an agent's own faults count
 * against it, an answer credits it. The story decides (core/lifecycle); this
 * only carries it out.
 */
export function createCallLife(recorder: CallRecorder, distribution: DistributionService, health: AgentHealth, metrics: CallMetrics, logger: Logger) {
  async function carryOut(t: CallTenant, sessionToken: string, effects: StoryEffects, answered: AnsweredEnd | null = null): Promise<void> {
    const work: Promise<unknown>[] = effects.release.map((agentId) => distribution.releaseSlot(t.tenantId, agentId, sessionToken));
    for (const agentId of effects.faults) work.push(health.recordFailure(t.tenantId, agentId, t.health));
    const credited = effects.credit !== null ? health.recordSuccess(t.tenantId, effects.credit) : null;
    if (credited) work.push(credited);
    // Tenants without short-call health pay nothing here. Judged after the credit of the same write
    // (a CDR may tell the answer and the end at once), so that answer cannot undo the rest it starts.
    if (answered !== null && t.health.short_calls_enabled) {
      work.push((credited ?? Promise.resolve()).catch(() => {}).then(() => health.recordAnsweredEnd(t.tenantId, answered, t.health)));
    }
    // A routed call's first write usually asks nothing of the live state yet (its slot was claimed when it was decided).
    if (work.length === 0) return;
    const results = await Promise.allSettled(work);
    // The record is committed: a plane hiccup here must not turn the webhook into an error
    // (slots also free themselves at the backstop, and the live-state reconciler repairs them).
    for (const r of results) {
      if (r.status !== 'rejected') continue;
      metrics.planeError('live_state');
      logger.error({ err: r.reason, tenantId: t.tenantId, session: sessionToken }, 'could not update live call state');
    }
  }

  /** The one place a call's end is counted: the write that ended it says so once (see endOf). Test calls are not counted. */
  function counted(t: CallTenant, recorded: RecordedCall): void {
    if (recorded.ended && !isTest(recorded)) metrics.ended(t.domain, recorded.ended.agentId, recorded.ended.outcome);
  }
  /**
   * A test call's answered end is not judged as a short call: an admin trying an agent
   * hangs up after a few seconds, which must not count against the agent.
   */
  const answeredEnd = (recorded: RecordedCall): AnsweredEnd | null => (isTest(recorded) ? null : recorded.answered);

  async function record(t: CallTenant, call: NewCall, changes: readonly CallChange[], options?: RecordOptions): Promise<RecordedCall> {
    try {
      const recorded = await recorder.record(t.tenantId, call, changes, options);
      counted(t, recorded);
      await carryOut(t, call.sessionToken, recorded.effects, answeredEnd(recorded));
      return recorded;
    } catch (err) {
      if (err instanceof DuplicateEvent) await settleRepeat(t, call.sessionToken, agentsDialled(changes.map((c) => c.event)));
      throw err;
    }
  }
  /**
   * A redelivery: whatever its first, maybe unheard, commit asked of the live state is done now,
   * and a slot the repeat itself claimed (`claimed`) is given back unless the call holds it.
   */
  async function settleRepeat(t: CallTenant, sessionToken: string, claimed: readonly number[]): Promise<void> {
    const row = await recorder.find(t.tenantId, sessionToken);
    if (row) await carryOut(t, sessionToken, repeatEffects(tellStory(factsOfRow(row)), claimed));
    else if (claimed.length > 0) await carryOut(t, sessionToken, { release: [...claimed], faults: [], credit: null });
  }
  const held = createDeferredWrites<{ t: CallTenant; call: NewCall; changes: readonly CallChange[] }>('routed calls', async ({ t, call, changes }) => {
    try {
      await record(t, call, changes);
    } catch (err) {
      // A copy routed again while the first was held: the first is the call's answer (its slot is given back).
      if (!(err instanceof DuplicateEvent)) throw err;
    }
  }, logger);

  return {
    /** See CallRecorder.record; then the effects of the change are carried out. */
    record,
    /**
     * A call just routed: written with the other calls routed in the same moment (see
     * CallRecorder.createRouted), or folded onto the record a session update opened first.
     * While the database is away the call is routed all the same: its record is held and
     * written, folded onto whatever its session has by then, as soon as the database is back.
     */
    async routed(t: CallTenant, call: NewCall, changes: readonly CallChange[]): Promise<RecordedCall | 'held'> {
      try {
        const recorded = await recorder.createRouted(t.tenantId, call, changes);
        if (!recorded) return await record(t, call, changes);
        counted(t, recorded);
        await carryOut(t, call.sessionToken, recorded.effects, answeredEnd(recorded));
        return recorded;
      } catch (err) {
        if (!isDatabaseUnavailable(err)) throw err;
        metrics.databaseError('call_write');
        held.hold({ t, call, changes });
        return 'held';
      }
    },
    /**
     * A change that has already happened at Cloudonix (a hand-off the console made): recorded
     * now, or, while the database is away, held and written as soon as it is back, like a
     * routed call, so the call's story never misses it.
     */
    async recordOrHold(t: CallTenant, call: NewCall, changes: readonly CallChange[]): Promise<RecordedCall | 'held'> {
      try {
        return await record(t, call, changes);
      } catch (err) {
        if (!isDatabaseUnavailable(err)) throw err;
        metrics.databaseError('call_write');
        held.hold({ t, call, changes });
        return 'held';
      }
    },
    carryOut,
    /** Routed calls and console changes whose records wait for the database. */
    held,
    close: () => held.close(),
  };
}
export type CallLife = ReturnType<typeof createCallLife>;
