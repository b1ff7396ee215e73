import type { StoryEffects } from '../../core/lifecycle/story-effects.js';
import type { AgentHealth, HealthPolicy } from '../agent-health.js';
import type { DistributionService } from '../distribution-service.js';
import type { Logger } from '../logger.js';
import { isDatabaseUnavailable } from '../../store/dialect.js';
import type { CallChange, CallRecorder, NewCall, RecordedCall, RecordOptions } from './call-recorder.js';
import { createDeferredWrites } from './deferred-writes.js';

export interface CallTenant {
  tenantId: number;
  health: HealthPolicy;
}

/**
 * Records a call's changes and brings the live state in line with its story:
 * slots the call no longer holds are released, an agent's own faults count
 * against it, an answer credits it. The story decides (core/lifecycle); this
 * only carries it out.
 */
export function createCallLife(recorder: CallRecorder, distribution: DistributionService, health: AgentHealth, logger: Logger) {
  async function carryOut(t: CallTenant, sessionToken: string, effects: StoryEffects): Promise<void> {
    const work: Promise<unknown>[] = effects.release.map((agentId) => distribution.releaseSlot(t.tenantId, agentId, sessionToken));
    for (const agentId of effects.faults) work.push(health.recordFailure(t.tenantId, agentId, t.health));
    if (effects.credit !== null) work.push(health.recordSuccess(t.tenantId, effects.credit));
    const results = await Promise.allSettled(work);
    // The record is committed: a plane hiccup here must not turn the webhook into an error
    // (slots also free themselves at the backstop, and the live-state reconciler repairs them).
    for (const r of results) if (r.status === 'rejected') logger.error({ err: r.reason, tenantId: t.tenantId, session: sessionToken }, 'could not update live call state');
  }

  async function record(t: CallTenant, call: NewCall, changes: readonly CallChange[], options?: RecordOptions): Promise<RecordedCall> {
    const recorded = await recorder.record(t.tenantId, call, changes, options);
    await carryOut(t, call.sessionToken, recorded.effects);
    return recorded;
  }
  const held = createDeferredWrites<{ t: CallTenant; call: NewCall; changes: readonly CallChange[] }>('routed calls', async ({ t, call, changes }) => {
    await record(t, call, changes);
  }, logger);

  return {
    /** See CallRecorder.record; then the effects of the change are carried out. */
    record,
    /**
     * See CallRecorder.createRouted; a new call's effects (none so far) are carried out the same way.
     * While the database is away the call is routed all the same: its record is held and written,
     * folded onto whatever its session has by then, as soon as the database is back.
     */
    async createRouted(t: CallTenant, call: NewCall, changes: readonly CallChange[]): Promise<RecordedCall | 'held' | undefined> {
      try {
        const recorded = await recorder.createRouted(t.tenantId, call, changes);
        if (recorded) await carryOut(t, call.sessionToken, recorded.effects);
        return recorded;
      } catch (err) {
        if (!isDatabaseUnavailable(err)) throw err;
        held.hold({ t, call, changes });
        return 'held';
      }
    },
    carryOut,
    /** Routed calls whose records wait for the database. */
    held,
    close: () => held.close(),
  };
}
export type CallLife = ReturnType<typeof createCallLife>;
