import { SearchInput } from '../../../components/ui/search-input.js';
import { NamedOptions, SelectField } from '../../../components/ui/select-field.js';
import type { Provider } from '../api/get-providers.js';

export interface AgentFilterValues {
  search: string;
  enabled: '' | 'true' | 'false';
  provider: string;
}

interface AgentFiltersProps {
  values: AgentFilterValues;
  providers: readonly Provider[];
  onChange: (patch: Partial<AgentFilterValues>) => void;
}

/** Search by name, filter by state and provider. */
export function AgentFilters({ values, providers, onChange }: AgentFiltersProps) {
  return (
    <>
      <SearchInput label="Search" placeholder="Name or number" value={values.search} onSearch={(search) => onChange({ search })} className="w-full sm:w-64" />
      <SelectField name="enabled" label="State" value={values.enabled} onChange={(e) => onChange({ enabled: e.target.value as AgentFilterValues['enabled'] })} className="w-36">
        <option value="">All</option>
        <option value="true">Enabled</option>
        <option value="false">Disabled</option>
      </SelectField>
      <SelectField name="provider" label="Provider" value={values.provider} onChange={(e) => onChange({ provider: e.target.value })} className="w-48">
        <option value="">All providers</option>
        <NamedOptions items={providers} />
      </SelectField>
    </>
  );
}
