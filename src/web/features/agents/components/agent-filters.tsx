import { SearchInput } from '../../../components/ui/search-input.js';
import { SearchableSelect } from '../../../components/ui/searchable-select.js';
import { SelectField } from '../../../components/ui/select-field.js';
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

/** Search by name, filter by state and provider (a searchable list, sorted by name). */
export function AgentFilters({ values, providers, onChange }: AgentFiltersProps) {
  const options = [
    { value: '', label: 'All providers' },
    ...[...providers].sort((a, b) => a.name.localeCompare(b.name)).map((p) => ({ value: p.id, label: p.name, keywords: (p.aliases ?? []).join(' ') })),
  ];
  return (
    <>
      <SearchInput label="Search" placeholder="Name or number" value={values.search} onSearch={(search) => onChange({ search })} className="w-full sm:w-64" />
      <SelectField name="enabled" label="State" value={values.enabled} onChange={(e) => onChange({ enabled: e.target.value as AgentFilterValues['enabled'] })} className="w-36">
        <option value="">All</option>
        <option value="true">Enabled</option>
        <option value="false">Disabled</option>
      </SelectField>
      <SearchableSelect
        name="provider"
        label="Provider"
        options={options}
        sort={false}
        value={values.provider}
        onChange={(provider) => onChange({ provider })}
        placeholder="Type to search"
        className="w-52"
      />
    </>
  );
}
