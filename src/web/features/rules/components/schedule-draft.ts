import type { Weekday } from '../../../../core/routing/rule-schedule.js';
import type { RuleScheduleView } from '../../../../core/schemas/rule-schedule.js';

/** The schedule as the editor holds it: inputs' own strings, turned into the request's shape on submit. */
export interface ScheduleDraft {
  enabled: boolean;
  windows: { days: Weekday[]; from: string; to: string }[];
  /** `hours` set through the API are kept as they are (the editor shows dates and names). */
  holidays: { date: string; end_date: string; name: string; hours: { from: string; to: string }[] }[];
}

export function draftOf(schedule: RuleScheduleView | null | undefined): ScheduleDraft {
  if (!schedule) return { enabled: false, windows: [], holidays: [] };
  return {
    enabled: true,
    windows: schedule.windows.map((w) => ({ days: [...w.days], from: w.from, to: w.to })),
    holidays: schedule.holidays.map((h) => ({ date: h.date, end_date: h.end_date ?? '', name: h.name ?? '', hours: h.hours.map((x) => ({ ...x })) })),
  };
}

/** The request's `schedule`: null when off; empty optional fields left out so the schema reads them as absent. */
export function scheduleInput(draft: ScheduleDraft): unknown {
  if (!draft.enabled) return null;
  return {
    windows: draft.windows,
    holidays: draft.holidays.map((h) => ({ date: h.date, ...(h.end_date ? { end_date: h.end_date } : {}), ...(h.name.trim() ? { name: h.name } : {}), hours: h.hours })),
  };
}
