import { useMemo, useState } from 'react';
import { SearchableSelect, type SearchableOption } from '../../../components/ui/searchable-select.js';
import { TextField } from '../../../components/ui/text-field.js';
import type { Tenant } from '../api/get-tenant.js';
import { readShortCallFields, ShortCallFields, shortCallFieldNames } from './short-call-fields.js';
import { TenantSettingsForm } from './tenant-settings-form.js';

const fields = ['settings.timezone', 'settings.retention_days', 'settings.max_call_minutes', 'settings.health.failure_threshold', 'settings.health.cooldown_seconds', ...shortCallFieldNames] as const;

/** Every zone the browser knows, labelled with its current offset so "GMT+2" finds it too. */
function timeZoneOptions(current: string): SearchableOption[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const now = new Date();
  return [...new Set(['UTC', current, ...all])].map((zone) => {
    let offset = '';
    try {
      offset = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'shortOffset' }).formatToParts(now).find((p) => p.type === 'timeZoneName')?.value ?? '';
    } catch {
      // A zone this browser cannot format is still listed, without its offset.
    }
    return { value: zone, label: offset && zone !== 'UTC' ? `${zone.replaceAll('_', ' ')} (${offset})` : zone.replaceAll('_', ' '), keywords: `${zone} ${offset}` };
  });
}

/** Time zone, retention, the maximum call length and agent health thresholds. */
export function RoutingSettingsForm({ tenant, canWrite }: { tenant: Tenant; canWrite: boolean }) {
  const s = tenant.settings;
  const zones = useMemo(() => timeZoneOptions(s.timezone), [s.timezone]);
  const [timeZone, setTimeZone] = useState(s.timezone);
  const [shortCalls, setShortCalls] = useState(s.health.short_calls_enabled);
  const read = (data: FormData) => {
    const num = (name: string) => Number(data.get(name));
    return {
      settings: {
        timezone: data.get('settings.timezone'),
        retention_days: num('settings.retention_days'),
        max_call_minutes: num('settings.max_call_minutes'),
        health: { failure_threshold: num('settings.health.failure_threshold'), cooldown_seconds: num('settings.health.cooldown_seconds'), ...readShortCallFields(data, shortCalls) },
      },
    };
  };
  return (
    <TenantSettingsForm label="Time zone, retention, call length and health" canWrite={canWrite} fields={fields} read={read}>
      {(errorsFor) => (
        <>
          <div className="grid gap-4 sm:grid-cols-2">
            <SearchableSelect
              name="settings.timezone"
              label="Time zone"
              options={zones}
              value={timeZone}
              onChange={setTimeZone}
              placeholder="Type a city, region or offset"
              help="Days on the dashboard and in date filters start at midnight here."
              errors={errorsFor('settings.timezone')}
            />
            <TextField
              name="settings.retention_days"
              label="Keep call records for (days)"
              type="number"
              min={0}
              max={3650}
              defaultValue={s.retention_days}
              help="Call records, CDRs, webhook audit and resolved alerts older than this are deleted daily. 0 keeps them forever."
              errors={errorsFor('settings.retention_days')}
            />
            <TextField
              name="settings.max_call_minutes"
              label="Maximum call length (minutes)"
              type="number"
              min={5}
              max={1440}
              defaultValue={s.max_call_minutes}
              help="A call whose end Cloudonix never reports is closed after this long as ‘unknown end’ and its agent’s slot is freed (5–1440)."
              errors={errorsFor('settings.max_call_minutes')}
              // The long help gets the whole row; the number keeps the width of its neighbours'.
              className="sm:col-span-2 sm:[&_input]:w-[calc(50%-0.5rem)]"
            />
            <TextField
              name="settings.health.failure_threshold"
              label="Failures before an agent rests"
              type="number"
              min={1}
              max={20}
              defaultValue={s.health.failure_threshold}
              help="Consecutive technical failures that take an agent out of rotation (1–20)."
              errors={errorsFor('settings.health.failure_threshold')}
            />
            <TextField
              name="settings.health.cooldown_seconds"
              label="Rest period (seconds)"
              type="number"
              min={5}
              max={3600}
              defaultValue={s.health.cooldown_seconds}
              help="How long it stays out; a success brings it back early (5–3600)."
              errors={errorsFor('settings.health.cooldown_seconds')}
            />
          </div>
          <ShortCallFields health={s.health} enabled={shortCalls} onEnabledChange={setShortCalls} canWrite={canWrite} errorsFor={errorsFor} />
        </>
      )}
    </TenantSettingsForm>
  );
}
