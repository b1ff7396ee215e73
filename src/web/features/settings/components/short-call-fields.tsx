import { Switch } from '../../../components/ui/switch.js';
import { TextField } from '../../../components/ui/text-field.js';
import type { Tenant } from '../api/get-tenant.js';

/** The inputs below, by name, for the form's error mapping. */
export const shortCallFieldNames = ['settings.health.short_call_seconds', 'settings.health.short_call_min_calls', 'settings.health.short_call_window_minutes', 'settings.health.short_call_share'] as const;

/** Reads the inputs below; the share is shown in percent and saved as a fraction. */
export function readShortCallFields(data: FormData, enabled: boolean) {
  const num = (name: string) => Number(data.get(name));
  return {
    short_calls_enabled: enabled,
    short_call_seconds: num('settings.health.short_call_seconds'),
    short_call_min_calls: num('settings.health.short_call_min_calls'),
    short_call_window_minutes: num('settings.health.short_call_window_minutes'),
    short_call_share: Math.round(num('settings.health.short_call_share')) / 100,
  };
}

interface ShortCallFieldsProps {
  health: Tenant['settings']['health'];
  enabled: boolean;
  onEnabledChange: (enabled: boolean) => void;
  canWrite: boolean;
  errorsFor: (name: string) => string[] | undefined;
}

/**
 * Short-call health: an agent that answers and drops calls (many answered calls billed only a
 * few seconds) leaves rotation for the rest period, like one that fails.
 */
export function ShortCallFields({ health, enabled, onEnabledChange, canWrite, errorsFor }: ShortCallFieldsProps) {
  return (
    <div className="space-y-3">
      <div>
        <Switch checked={enabled} onChange={onEnabledChange} disabled={!canWrite} label="Rest agents that answer and drop calls" showLabel />
        <p className="mt-1 text-xs text-slate-600">
          When most of an agent’s recent answered calls are very short, it is taken out of rotation for the rest period, even though it answers. An answer does not bring it back early.
        </p>
      </div>
      <div className={`grid gap-4 sm:grid-cols-2 ${enabled ? '' : 'opacity-70'}`}>
        <TextField
          name="settings.health.short_call_seconds"
          label="A short call lasts under (seconds)"
          type="number"
          min={1}
          max={120}
          defaultValue={health.short_call_seconds}
          help="Answered calls billed fewer seconds than this count as short (1–120)."
          errors={errorsFor('settings.health.short_call_seconds')}
        />
        <TextField
          name="settings.health.short_call_share"
          label="Share of short calls that rests it (%)"
          type="number"
          min={10}
          max={100}
          defaultValue={Math.round(health.short_call_share * 100)}
          help="Of the answered calls that ended in the window, this many percent or more were short (10–100)."
          errors={errorsFor('settings.health.short_call_share')}
        />
        <TextField
          name="settings.health.short_call_min_calls"
          label="Judge after at least (calls)"
          type="number"
          min={2}
          max={1000}
          defaultValue={health.short_call_min_calls}
          help="Answered calls that must have ended in the window first, so one short call never rests an agent (2–1000)."
          errors={errorsFor('settings.health.short_call_min_calls')}
        />
        <TextField
          name="settings.health.short_call_window_minutes"
          label="Window (minutes)"
          type="number"
          min={1}
          max={1440}
          defaultValue={health.short_call_window_minutes}
          help="How far back the answered calls are counted (1–1440)."
          errors={errorsFor('settings.health.short_call_window_minutes')}
        />
      </div>
    </div>
  );
}
