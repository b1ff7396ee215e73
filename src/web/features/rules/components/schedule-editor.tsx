import { CalendarOff, Clock, Plus, X } from 'lucide-react';
import { WEEKDAYS, type Weekday } from '../../../../core/routing/rule-schedule.js';
import { Button } from '../../../components/ui/button.js';
import { controlClass } from '../../../components/ui/field.js';
import { Switch } from '../../../components/ui/switch.js';
import type { ScheduleDraft } from './schedule-draft.js';
import { weekdayLabels } from './schedule-summary.js';

interface ScheduleEditorProps {
  draft: ScheduleDraft;
  onChange: (next: ScheduleDraft) => void;
  /** Messages of the schedule as a whole, of window i and of holiday i. */
  errorsFor: (path: string) => readonly string[] | undefined;
  timeZone: string | undefined;
}

const WORK_WEEK: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

function Errors({ messages }: { messages: readonly string[] | undefined }) {
  if (!messages?.length) return null;
  return (
    <ul className="mt-1 space-y-0.5 text-sm text-red-700">
      {messages.map((m) => (
        <li key={m}>{m}</li>
      ))}
    </ul>
  );
}

/**
 * Opening hours of a rule: weekly windows (weekday checkboxes, from and to; a "to" earlier
 * than "from" runs past midnight) and holidays (a date or range, closed all day), read in
 * the tenant's time zone. Off: the rule is always open.
 */
export function ScheduleEditor({ draft, onChange, errorsFor, timeZone }: ScheduleEditorProps) {
  const set = (patch: Partial<ScheduleDraft>) => onChange({ ...draft, ...patch });
  const setWindow = (i: number, patch: Partial<ScheduleDraft['windows'][number]>) => set({ windows: draft.windows.map((w, j) => (j === i ? { ...w, ...patch } : w)) });
  const setHoliday = (i: number, patch: Partial<ScheduleDraft['holidays'][number]>) => set({ holidays: draft.holidays.map((h, j) => (j === i ? { ...h, ...patch } : h)) });
  const toggleDay = (i: number, day: Weekday) => {
    const days = draft.windows[i]!.days;
    setWindow(i, { days: days.includes(day) ? days.filter((d) => d !== day) : WEEKDAYS.filter((d) => d === day || days.includes(d)) });
  };

  return (
    <fieldset className="rounded-md border border-slate-200 p-3">
      <legend className="px-1 text-sm font-medium text-slate-700">Schedule</legend>
      <Switch checked={draft.enabled} onChange={(enabled) => set({ enabled, windows: enabled && draft.windows.length === 0 && draft.holidays.length === 0 ? [{ days: [...WORK_WEEK], from: '09:00', to: '17:00' }] : draft.windows })} label="Only at set hours" showLabel />
      <p className="mt-1 text-xs text-slate-600">
        {draft.enabled
          ? `Outside these hours and on holidays the rule is skipped and the next matching rule is tried. Times are in ${timeZone ?? 'the tenant’s time zone'}; a window ending before it starts runs past midnight.`
          : 'Off: the rule is open at all hours.'}
      </p>
      {draft.enabled && (
        <div className="mt-3 space-y-4">
          <Errors messages={errorsFor('schedule')} />
          <div>
            <p className="flex items-center gap-1.5 text-xs font-semibold uppercase tracking-wide text-slate-500">
              <Clock className="size-3.5" aria-hidden="true" /> Weekly hours
            </p>
            {draft.windows.length === 0 && <p className="mt-1 text-sm text-slate-600">No weekly hours: open all day except on holidays.</p>}
            <ul className="mt-2 space-y-3">
              {draft.windows.map((w, i) => (
                <li key={i} className="rounded-md bg-slate-50 p-2" aria-label={`Window ${i + 1}`}>
                  <div className="flex flex-wrap gap-1" role="group" aria-label={`Days of window ${i + 1}`}>
                    {WEEKDAYS.map((day) => (
                      <label key={day} className="flex items-center gap-1 rounded border border-slate-200 bg-white px-1.5 py-1 text-xs text-slate-700">
                        <input type="checkbox" checked={w.days.includes(day)} onChange={() => toggleDay(i, day)} className="size-3.5 accent-indigo-600" />
                        {weekdayLabels[day]}
                      </label>
                    ))}
                  </div>
                  <div className="mt-2 flex flex-wrap items-end gap-2">
                    <label className="text-xs text-slate-600">
                      From
                      <input type="time" aria-label={`Window ${i + 1} from`} value={w.from} onChange={(e) => setWindow(i, { from: e.target.value })} className={`mt-0.5 w-32 ${controlClass(false)}`} />
                    </label>
                    <label className="text-xs text-slate-600">
                      To
                      <input type="time" aria-label={`Window ${i + 1} to`} value={w.to} onChange={(e) => setWindow(i, { to: e.target.value })} className={`mt-0.5 w-32 ${controlClass(false)}`} />
                    </label>
                    <Button variant="ghost" className="px-2" aria-label={`Remove window ${i + 1}`} onClick={() => set({ windows: draft.windows.filter((_, j) => j !== i) })} icon={<X className="size-4" aria-hidden="true" />} />
                  </div>
                  <Errors messages={errorsFor(`schedule.windows.${i}`)} />
                </li>
              ))}
            </ul>
            <Button variant="secondary" className="mt-2" onClick={() => set({ windows: [...draft.windows, { days: [...WORK_WEEK], from: '09:00', to: '17:00' }] })} icon={<Plus className="size-4" aria-hidden="true" />}>
              Add hours
            </Button>
          </div>
          <div>
            <p className="flex items-center gap-1.5 text-xs font-semibold uppercase tracking-wide text-slate-500">
              <CalendarOff className="size-3.5" aria-hidden="true" /> Holidays (closed)
            </p>
            <ul className="mt-2 space-y-2">
              {draft.holidays.map((h, i) => (
                <li key={i} className="flex flex-wrap items-end gap-2 rounded-md bg-slate-50 p-2" aria-label={`Holiday ${i + 1}`}>
                  <label className="text-xs text-slate-600">
                    Date
                    <input type="date" aria-label={`Holiday ${i + 1} date`} value={h.date} onChange={(e) => setHoliday(i, { date: e.target.value })} className={`mt-0.5 w-40 ${controlClass(false)}`} />
                  </label>
                  <label className="text-xs text-slate-600">
                    Until (optional)
                    <input type="date" aria-label={`Holiday ${i + 1} until`} value={h.end_date} onChange={(e) => setHoliday(i, { end_date: e.target.value })} className={`mt-0.5 w-40 ${controlClass(false)}`} />
                  </label>
                  <label className="min-w-32 flex-1 text-xs text-slate-600">
                    Name
                    <input type="text" aria-label={`Holiday ${i + 1} name`} value={h.name} maxLength={80} placeholder="Christmas" onChange={(e) => setHoliday(i, { name: e.target.value })} className={`mt-0.5 ${controlClass(false)}`} />
                  </label>
                  <Button variant="ghost" className="px-2" aria-label={`Remove holiday ${i + 1}`} onClick={() => set({ holidays: draft.holidays.filter((_, j) => j !== i) })} icon={<X className="size-4" aria-hidden="true" />} />
                  <div className="basis-full">
                    <Errors messages={errorsFor(`schedule.holidays.${i}`)} />
                  </div>
                </li>
              ))}
            </ul>
            <Button variant="secondary" className="mt-2" onClick={() => set({ holidays: [...draft.holidays, { date: '', end_date: '', name: '', hours: [] }] })} icon={<Plus className="size-4" aria-hidden="true" />}>
              Add holiday
            </Button>
          </div>
        </div>
      )}
    </fieldset>
  );
}
