import type { CallRecordFilters } from '../../core/schemas/call-records.js';
import { dateBoundInstant } from '../../core/time/date-bound.js';
import type { CallRecordFilter } from '../../store/call-records.js';
import type { Repositories } from '../../store/index.js';
import { tenantTimeZone } from '../call-records-service.js';

/**
 * An export's filters as the store's filter, exactly as `GET /api/call-records`
 * reads them: calendar days are whole days in the tenant's time zone, the end
 * date is included. Null when the range is empty (end before start).
 */
export async function toStoreFilter(repos: Repositories, tenantId: number, f: CallRecordFilters): Promise<CallRecordFilter | null> {
  const { start_date: start, end_date: end } = f;
  const tz = start?.kind === 'day' || end?.kind === 'day' ? await tenantTimeZone(repos, tenantId) : 'UTC';
  const startedFrom = start ? dateBoundInstant(start, 'start', tz) : undefined;
  const startedBefore = end ? dateBoundInstant(end, 'end', tz) : undefined;
  if (startedFrom !== undefined && startedBefore !== undefined && startedBefore <= startedFrom) return null;
  return {
    agentId: f.agent_id,
    groupId: f.group_id,
    statuses: f.status,
    outcomes: f.outcome,
    direction: f.direction,
    fromDigits: f.from,
    toDigits: f.to,
    sessionToken: f.session_token,
    startedFrom,
    startedBefore,
    minDuration: f.min_duration,
    maxDuration: f.max_duration,
    isTest: f.is_test,
  };
}
