import type { ReactNode, SelectHTMLAttributes } from 'react';
import { controlClass, FieldShell } from './field.js';

export interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'name'> {
  name: string;
  label: string;
  help?: ReactNode;
  errors?: readonly string[] | undefined;
  children: ReactNode;
}

/** A labelled native select: keyboard and screen-reader friendly without extra code. */
export function SelectField({ name, label, help, errors, className = '', children, ...rest }: SelectFieldProps) {
  return (
    <FieldShell label={label} help={help} errors={errors} className={className}>
      {({ id, describedBy, invalid }) => (
        <select id={id} name={name} aria-invalid={invalid || undefined} aria-describedby={describedBy} className={controlClass(invalid)} {...rest}>
          {children}
        </select>
      )}
    </FieldShell>
  );
}

/** One option per item, valued by id and labelled by name (agents, groups, providers…). */
export function NamedOptions({ items }: { items: readonly { id: number | string; name: string }[] }) {
  return items.map((item) => (
    <option key={item.id} value={item.id}>
      {item.name}
    </option>
  ));
}
