import type { ReactNode, TextareaHTMLAttributes } from 'react';
import { controlClass, FieldShell } from './field.js';

export interface TextareaFieldProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'name'> {
  name: string;
  label: string;
  help?: ReactNode;
  errors?: readonly string[] | undefined;
}

export function TextareaField({ name, label, help, errors, className = '', rows = 3, ...rest }: TextareaFieldProps) {
  return (
    <FieldShell label={label} help={help} errors={errors} className={className}>
      {({ id, describedBy, invalid }) => (
        <textarea id={id} name={name} rows={rows} aria-invalid={invalid || undefined} aria-describedby={describedBy} className={controlClass(invalid)} {...rest} />
      )}
    </FieldShell>
  );
}
