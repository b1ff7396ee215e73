import { Plus, Trash2 } from 'lucide-react';
import { useRef, useState } from 'react';
import { Button } from '../ui/button.js';
import { TextField } from '../ui/text-field.js';
import { maxRows, type RowList } from './read-dial-options.js';

interface NameValueRowsProps {
  prefix: string;
  list: RowList;
  /** What one row is, for labels and buttons: "Header", "Parameter". */
  noun: string;
  initial: readonly { name: string; value: string }[] | undefined;
  namePlaceholder: string;
  valuePlaceholder: string;
  errorsFor: (name: string) => string[] | undefined;
}

/**
 * Rows of name and value inputs with add and remove buttons. Inputs are named by
 * position (`headers.0.name`), matching the paths the schema reports errors under.
 */
export function NameValueRows({ prefix, list, noun, initial, namePlaceholder, valuePlaceholder, errorsFor }: NameValueRowsProps) {
  const nextKey = useRef(0);
  const keyed = (row: { name: string; value: string }) => ({ ...row, key: nextKey.current++ });
  const [rows, setRows] = useState(() => (initial ?? []).map(keyed));
  const max = maxRows(list);

  return (
    <div className="space-y-3">
      {rows.map((row, i) => {
        const base = `${prefix}.${list}.${i}`;
        return (
          <div key={row.key} className="grid grid-cols-[1fr_1fr_auto] items-start gap-2">
            <TextField name={`${base}.name`} label={`${noun} ${i + 1} name`} defaultValue={row.name} placeholder={namePlaceholder} autoCapitalize="none" spellCheck={false} errors={errorsFor(`${base}.name`)} />
            <TextField name={`${base}.value`} label={`${noun} ${i + 1} value`} defaultValue={row.value} placeholder={valuePlaceholder} spellCheck={false} errors={errorsFor(`${base}.value`)} />
            <Button variant="ghost" className="mt-7" aria-label={`Remove ${noun.toLowerCase()} ${i + 1}`} icon={<Trash2 className="size-4" aria-hidden="true" />} onClick={() => setRows(rows.filter((r) => r.key !== row.key))} />
          </div>
        );
      })}
      <Button variant="secondary" disabled={rows.length >= max} icon={<Plus className="size-4" aria-hidden="true" />} onClick={() => setRows([...rows, keyed({ name: '', value: '' })])}>
        Add {noun.toLowerCase()}
      </Button>
      {rows.length >= max && <p className="text-xs text-slate-600">At most {max}.</p>}
      {errorsFor(`${prefix}.${list}`)?.map((message) => (
        <p key={message} className="text-sm text-red-700">
          {message}
        </p>
      ))}
    </div>
  );
}
