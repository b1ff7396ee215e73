import { Switch } from '../../../components/ui/switch.js';
import { TextField } from '../../../components/ui/text-field.js';

export const RETURNING_CALLERS_TTL_FIELD = 'settings.returning_callers.ttl_minutes';

/** The returning-callers setting of a group: a switch, and how long a caller is remembered while it is on. */
export function ReturningCallersFields({
  enabled,
  onEnabledChange,
  ttlMinutes,
  errors,
}: {
  enabled: boolean;
  onEnabledChange: (enabled: boolean) => void;
  ttlMinutes: number;
  errors: readonly string[] | undefined;
}) {
  return (
    <div className="space-y-3">
      <Switch checked={enabled} onChange={onEnabledChange} label="Send returning callers back to the agent that last took their call" showLabel />
      {enabled ? (
        <TextField
          name={RETURNING_CALLERS_TTL_FIELD}
          label="Remember callers for (minutes)"
          type="number"
          min={1}
          max={10_080}
          defaultValue={ttlMinutes}
          className="sm:max-w-xs"
          help="A caller who calls again within this time (1–10,080 minutes, a week at most) gets the same agent, recognised by their number. If that agent is disabled, out of rotation or at its call limit, the strategy picks as usual."
          errors={errors}
        />
      ) : (
        // Kept while the switch is off, so turning it back on does not lose the stored time.
        <input type="hidden" name={RETURNING_CALLERS_TTL_FIELD} defaultValue={ttlMinutes} />
      )}
    </div>
  );
}
