import { describe, expect, it } from 'vitest';
import { callStateLabel, callStateLabels, outcomeLabel } from '../../src/core/lifecycle/call-words.js';
import { outcomeReasonLabels, outcomeReasons } from '../../src/core/lifecycle/outcome-reason.js';
import { callStates } from '../../src/core/routing/call-state.js';
import { callRecordListQuery } from '../../src/core/schemas/call-records.js';
import { exportValue } from '../../src/services/exports/export-files.js';
import type { ExportableCallRecord } from '../../src/store/call-record-stream.js';

const record = (status: string, outcome_reason: string | null): ExportableCallRecord => ({
  id: 1, session_token: 's', direction: 'inbound', from_number: null, to_number: null, status, outcome_reason, agent_id: null, agent_name: null,
  group_id: null, group_name: null, attempt: 0, disposition: null, started_at: 0, answered_at: null, ended_at: null, duration_seconds: null, billsec: null, is_test: 0,
});

/**
 * Every status and outcome word, written by the CSV writer: the word as the API says it, and the
 * label as the UI shows it (both from the core's one map). The API end of it, on every database, is
 * in live-calls-end.test.ts (the CSV of real calls against GET /api/call-records).
 */
describe('one vocabulary of status and outcome words', () => {
  it('the CSV carries each status and outcome word as the API does, and the label the UI shows', () => {
    for (const status of callStates) {
      expect(exportValue(record(status, null), 'status')).toBe(status);
      expect(exportValue(record(status, null), 'status_label')).toBe(callStateLabels[status]);
      expect(callStateLabel(status)).toBe(callStateLabels[status]);
      // Each word is also a filter value the API takes.
      expect(callRecordListQuery.safeParse({ status }).success).toBe(true);
    }
    for (const reason of outcomeReasons) {
      expect(exportValue(record('completed', reason), 'outcome_reason')).toBe(reason);
      expect(exportValue(record('completed', reason), 'outcome_label')).toBe(outcomeReasonLabels[reason]);
      expect(outcomeLabel(reason)).toBe(outcomeReasonLabels[reason]);
      expect(callRecordListQuery.safeParse({ outcome: reason }).success).toBe(true);
    }
    expect(exportValue(record('connected', null), 'outcome_label')).toBe('');
  });

  it('no two statuses or outcomes share a label', () => {
    expect(new Set(Object.values(callStateLabels)).size).toBe(callStates.length);
    expect(new Set(Object.values(outcomeReasonLabels)).size).toBe(outcomeReasons.length);
  });
});
