import type { StoryEffects } from '../../core/lifecycle/story-effects.js';
import type { AgentHealth, HealthPolicy } from '../agent-health.js';
import type { DistributionService } from '../distribution-service.js';
import type { Logger } from '../logger.js';
import type { CallChange, CallRecorder, NewCall, RecordedCall } from './call-recorder.js';

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

  return {
    /** See CallRecorder.record; then the effects of the change are carried out. */
    async record(t: CallTenant, call: NewCall, changes: readonly CallChange[], options?: Parameters<CallRecorder['record']>[3]): Promise<RecordedCall> {
      const recorded = await recorder.record(t.tenantId, call, changes, options);
      await carryOut(t, call.sessionToken, recorded.effects);
      return recorded;
    },
    /** See CallRecorder.createRouted; a new call's effects (none so far) are carried out the same way. */
    async createRouted(t: CallTenant, call: NewCall, changes: readonly CallChange[]): Promise<RecordedCall | undefined> {
      const recorded = await recorder.createRouted(t.tenantId, call, changes);
      if (recorded) await carryOut(t, call.sessionToken, recorded.effects);
      return recorded;
    },
    carryOut,
  };
}
export type CallLife = ReturnType<typeof createCallLife>;
