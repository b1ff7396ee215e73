import { fallbackOutcomeReasons, outcomeReasonLabels, outcomeReasons } from '../../../core/lifecycle/outcome-reason.js';
import { SelectField } from './select-field.js';

/** The calls the tenant's fallback route took, for whatever reason (the records' `outcome` filter). */
const FALLBACK_OUTCOMES = fallbackOutcomeReasons.join(',');

/** The `outcome` filter of call records and exports: any, the fallback and overflow calls, or one reason (the core's words). */
export function OutcomeSelect({ defaultValue, errors }: { defaultValue: string | undefined; errors?: readonly string[] | undefined }) {
  return (
    <SelectField name="outcome" label="Outcome" defaultValue={defaultValue ?? ''} errors={errors}>
      <option value="">Any outcome</option>
      <option value={FALLBACK_OUTCOMES}>Fallback or overflow</option>
      {outcomeReasons.map((r) => (
        <option key={r} value={r}>
          {outcomeReasonLabels[r]}
        </option>
      ))}
    </SelectField>
  );
}
