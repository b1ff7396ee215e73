import { useId, type FormEvent, type ReactNode } from 'react';
import { Alert } from './alert.js';
import { Button } from './button.js';
import { Dialog } from './dialog.js';

/** What the dialog needs from a form's state (`useSchemaForm`'s result fits). */
interface FormHandlers {
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  onInput: (event: FormEvent<HTMLFormElement>) => void;
  /** A message for the whole form, shown above the fields. */
  alert: string | null;
}

interface FormDialogProps {
  title: ReactNode;
  description?: ReactNode;
  wide?: boolean;
  onClose: () => void;
  form: FormHandlers;
  /** The alert's heading, e.g. "Could not save the group". */
  alertTitle: string;
  submitLabel: ReactNode;
  /** The request is running: the submit button spins and is disabled. */
  pending: boolean;
  /** Spacing between the fields. */
  className?: string;
  /** Told of every edit before the form reads it (an unsaved-changes guard marks itself dirty). */
  onDirty?: () => void;
  children: ReactNode;
}

/**
 * A modal form: the fields in the body, Cancel and the submit button in the footer
 * (linked to the form by id), and the form's alert above the fields.
 */
export function FormDialog({ title, description, wide = false, onClose, form, alertTitle, submitLabel, pending, className = 'space-y-5', onDirty, children }: FormDialogProps) {
  const formId = useId();
  const onInput = (event: FormEvent<HTMLFormElement>) => {
    onDirty?.();
    form.onInput(event);
  };
  return (
    <Dialog
      open
      wide={wide}
      onClose={onClose}
      title={title}
      description={description}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form={formId} loading={pending}>
            {submitLabel}
          </Button>
        </>
      }
    >
      <form id={formId} noValidate onSubmit={form.onSubmit} onInput={onInput} className={className}>
        {form.alert && <Alert title={alertTitle}>{form.alert}</Alert>}
        {children}
      </form>
    </Dialog>
  );
}
