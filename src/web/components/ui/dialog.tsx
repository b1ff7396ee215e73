import { X } from 'lucide-react';
import { useId, type ReactNode } from 'react';
import { Button } from './button.js';
import { NativeModal } from './native-modal.js';

interface DialogProps {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children: ReactNode;
  /** A side panel for details (drawer) or a centred box for forms (modal). */
  variant?: 'modal' | 'drawer';
  /** Buttons pinned to the bottom. */
  footer?: ReactNode;
  wide?: boolean;
}

/** A titled modal box for forms, or a side panel for details (a NativeModal inside). */
export function Dialog({ open, onClose, title, description, children, variant = 'modal', footer, wide = false }: DialogProps) {
  const titleId = useId();

  const frame =
    variant === 'drawer'
      ? `ml-auto mr-0 h-dvh max-h-dvh w-full ${wide ? 'max-w-3xl' : 'max-w-xl'} rounded-none`
      : `m-auto max-h-[90dvh] w-[calc(100%-2rem)] ${wide ? 'max-w-3xl' : 'max-w-lg'} rounded-xl`;

  return (
    <NativeModal
      open={open}
      onClose={onClose}
      // A form starts at its first field; details (no form) at the title, so screen readers read it and no button looks pressed.
      focusOnOpen={(dialog) => dialog.querySelector<HTMLElement>('[data-autofocus]') ?? dialog.querySelector<HTMLElement>('h2')}
      aria-labelledby={titleId}
      className={`${frame} bg-transparent p-0 text-slate-900 backdrop:bg-slate-900/40 dark:backdrop:bg-black/60`}
    >
      {open && (
        <div className={`flex max-h-[inherit] flex-col bg-white shadow-xl ${variant === 'drawer' ? 'h-full' : 'rounded-xl'}`}>
          <div className="flex items-start gap-4 border-b border-slate-200 px-6 py-4">
            <div className="min-w-0 flex-1">
              <h2 id={titleId} tabIndex={-1} className="text-lg font-semibold text-slate-900 focus:outline-none">
                {title}
              </h2>
              {description && <div className="mt-1 text-sm text-slate-600">{description}</div>}
            </div>
            <Button variant="ghost" onClick={onClose} aria-label="Close" className="-mr-2 px-2" icon={<X className="size-5" aria-hidden="true" />} />
          </div>
          <div className="flex-1 overflow-y-auto px-6 py-5">{children}</div>
          {footer && <div className="flex flex-wrap justify-end gap-3 border-t border-slate-200 px-6 py-4">{footer}</div>}
        </div>
      )}
    </NativeModal>
  );
}
