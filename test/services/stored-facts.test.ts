import { describe, expect, it } from 'vitest';
import { foldCallEvent } from '../../src/core/lifecycle/fold-call.js';
import { tellStory } from '../../src/core/lifecycle/tell-story.js';
import { factsOfRow } from '../../src/services/routing/stored-facts.js';
import type { CallRecordRow } from '../../src/store/call-records.js';

const T0 = Date.UTC(2026, 10, 20, 9);
/** A record as written before call facts were kept (migration 0008 leaves facts null). */
const legacy = (over: Partial<CallRecordRow>): CallRecordRow => ({
  id: 1, tenant_id: 1, session_token: 's', direction: 'inbound', from_number: '+14155550123', to_number: '+12125550187', status: 'connecting', agent_id: 7, group_id: null, rule_id: null,
  attempt: 1, decision_trace: null, disposition: null, started_at: T0, answered_at: null, ended_at: null, duration_seconds: null, billsec: null, created_at: T0, updated_at: T0,
  facts: null, outcome_reason: null, cloudonix_direction: null, variant: null, is_test: 0, first_answer: null, ...over,
});

describe('records from before the call facts', () => {
  it('keep their story, and a late CDR still folds onto it', () => {
    const live = factsOfRow(legacy({ status: 'connected', answered_at: T0 + 2000 }));
    expect(tellStory(live)).toMatchObject({ status: 'connected', agentId: 7, answeredAt: T0 + 2000 });
    const after = tellStory(foldCallEvent(live, { kind: 'cdr', disposition: 'ANSWER', billsec: 30, durationSeconds: 32, startedAt: T0, answeredAt: T0 + 2000, endedAt: T0 + 32_000 }));
    expect(after).toMatchObject({ status: 'completed', reason: 'answered', agentId: 7, billsec: 30, endedAt: T0 + 32_000 });
  });

  it('an ended one stays ended, and the CDR may still correct it', () => {
    const ended = factsOfRow(legacy({ status: 'no_answer', ended_at: T0 + 30_000 }));
    expect(tellStory(ended)).toMatchObject({ status: 'no_answer', ended: true });
    expect(tellStory(foldCallEvent(ended, { kind: 'cdr', disposition: 'ANSWER', billsec: 12, durationSeconds: null, startedAt: null, answeredAt: null, endedAt: null }))).toMatchObject({ status: 'completed', billsec: 12 });
  });

  it('stored facts are read as they were written', () => {
    const facts = factsOfRow(legacy({ status: 'connected' }));
    expect(factsOfRow(legacy({ facts: JSON.stringify(facts) }))).toEqual(facts);
  });
});
