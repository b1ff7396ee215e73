import { AppError } from '../core/errors.js';
import type { VoiceAgentView, VoiceAgentWarning } from '../core/schemas/voice-agent.js';
import type { Store } from '../store/database.js';
import { createVoiceAgentLookups } from '../store/voice-agent-lookups.js';

/** Agents that share a name (refused) or a target (allowed, with a warning) with another agent of the tenant. */
export function createVoiceAgentNamesakes(store: Store) {
  const lookups = createVoiceAgentLookups(store.db);
  /** Names are unique in a tenant (compared without case): two "Sales bot"s cannot be told apart in rules, groups or records. */
  async function assertNameFree(tenantId: number, name: string, exceptId: number | null, trx = store.db): Promise<void> {
    const [other] = await lookups.sameName(tenantId, name, exceptId, trx);
    if (other) {
      throw new AppError('conflict', `Another agent is already named "${other.name}"; choose another name.`, {
        fields: { name: [`is already used by another agent ("${other.name}")`] },
        agent_id: other.id,
      });
    }
  }

  /** The same number or URL on two agents is allowed (a test copy, a move between providers) but worth saying. */
  async function warningsFor(tenantId: number, view: VoiceAgentView, trx = store.db): Promise<VoiceAgentWarning[]> {
    const others = await lookups.sameTarget(tenantId, view.service_value, view.id, trx);
    if (others.length === 0) return [];
    const names = others.map((o) => `"${o.name}"`).join(', ');
    return [
      {
        code: 'duplicate_target',
        field: 'service_value',
        message: `${others.length === 1 ? 'Another agent' : 'Other agents'} (${names}) already ${others.length === 1 ? 'dials' : 'dial'} ${view.service_value}: calls to both count separately against their caps and shares.`,
        agents: others.map(({ id, name }) => ({ id, name })),
      },
    ];
  }

  return { assertNameFree, warningsFor };
}
