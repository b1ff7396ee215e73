import { useEffect, useRef, type DialogHTMLAttributes } from 'react';

interface NativeModalProps extends Omit<DialogHTMLAttributes<HTMLDialogElement>, 'open' | 'onClose' | 'onCancel' | 'onClick'> {
  open: boolean;
  onClose: () => void;
  /** The element to focus once shown (else the browser's choice: the first control). */
  focusOnOpen?: (dialog: HTMLDialogElement) => HTMLElement | null;
}

/**
 * A native modal <dialog> kept in step with `open`: the browser traps focus, gives it
 * back to the opener and makes the page behind inert. Escape and a click on the
 * backdrop ask the owner to close rather than closing natively, so a form with
 * unsaved changes can ask first.
 */
export function NativeModal({ open, onClose, focusOnOpen, children, ...attributes }: NativeModalProps) {
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      focusOnOpen?.(dialog)?.focus();
    }
    if (!open && dialog.open) dialog.close();
    // focusOnOpen is read once per opening, not a reason to reopen.
  }, [open]);

  return (
    <dialog
      ref={ref}
      {...attributes}
      onClose={onClose}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        // A click on the backdrop (the dialog element itself, outside the panel) closes it.
        if (event.target === event.currentTarget) onClose();
      }}
    >
      {children}
    </dialog>
  );
}
