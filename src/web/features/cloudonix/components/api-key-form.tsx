import { KeyRound } from 'lucide-react';
import { z } from 'zod';
import { cloudonixApiKeyField } from '../../../../core/schemas/cloudonix-connection.js';
import { Alert } from '../../../components/ui/alert.js';
import { Button } from '../../../components/ui/button.js';
import { TextField } from '../../../components/ui/text-field.js';
import { useSchemaForm } from '../../../lib/use-schema-form.js';
import { useUpdateConnection } from '../api/update-connection.js';

// The server's own rule for the key's shape; whether Cloudonix accepts it is asked when it is saved.
const apiKeyBody = z.object({ api_key: cloudonixApiKeyField });
const fields = ['api_key'] as const;

interface ApiKeyFormProps {
  domain: string;
  /** Replacing a stored key (a Cancel button) rather than connecting for the first time. */
  replacing: boolean;
  onDone: () => void;
}

/**
 * The write-only key field: Cloudonix checks the key before it is stored (a refused key is
 * explained in the server's words), and it is never shown again, only its last characters.
 */
export function ApiKeyForm({ domain, replacing, onDone }: ApiKeyFormProps) {
  const update = useUpdateConnection({ onSuccess: onDone });
  const form = useSchemaForm({
    schema: apiKeyBody,
    fields,
    serverError: update.error,
    resetServerError: update.reset,
    onValid: (input) => update.mutate(input),
  });
  return (
    <form noValidate onSubmit={form.onSubmit} onInput={form.onInput} aria-label="Cloudonix API key" className="space-y-3">
      {form.alert && <Alert title="Could not connect to Cloudonix">{form.alert}</Alert>}
      <TextField
        name="api_key"
        label="Domain API key"
        type="password"
        autoComplete="off"
        spellCheck={false}
        placeholder="XI…"
        className="[&_input]:font-mono"
        help={`A domain API key of ${domain} from the Cloudonix console (it starts with XI). Stored encrypted and never shown again.`}
        errors={form.errorsFor('api_key')}
      />
      <div className="flex flex-wrap justify-end gap-3">
        {replacing && (
          <Button variant="secondary" onClick={onDone}>
            Cancel
          </Button>
        )}
        <Button type="submit" loading={update.isPending} icon={<KeyRound className="size-4" aria-hidden="true" />}>
          {replacing ? 'Save the new key' : 'Connect'}
        </Button>
      </div>
    </form>
  );
}
