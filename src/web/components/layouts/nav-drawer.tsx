import { X } from 'lucide-react';
import { type ReactNode } from 'react';
import { Button } from '../ui/button.js';
import { NativeModal } from '../ui/native-modal.js';
import { Brand } from './brand.js';

interface NavDrawerProps {
  id: string;
  open: boolean;
  onClose: () => void;
  children: ReactNode;
}

/**
 * The navigation as a sheet from the left on phones and tablets: a native modal <dialog>, so
 * the browser traps focus, Escape closes it, the page behind is inert, and focus goes back to
 * the menu button. Following a link closes it too (the shell passes onNavigate).
 */
export function NavDrawer({ id, open, onClose, children }: NavDrawerProps) {
  return (
    <NativeModal
      open={open}
      onClose={onClose}
      focusOnOpen={(dialog) => dialog.querySelector<HTMLElement>('[aria-current="page"]')}
      id={id}
      aria-label="Menu"
      className="m-0 h-dvh max-h-dvh w-72 max-w-[85vw] bg-transparent p-0 text-slate-900 backdrop:bg-slate-900/40 dark:backdrop:bg-black/60"
    >
      <div className="flex h-full flex-col border-r border-slate-200 bg-white shadow-xl">
        <div className="flex h-16 shrink-0 items-center justify-between gap-2 border-b border-slate-200 pl-5 pr-3">
          <Brand />
          <Button variant="ghost" onClick={onClose} aria-label="Close menu" className="px-2" icon={<X className="size-5" aria-hidden="true" />} />
        </div>
        {children}
      </div>
    </NativeModal>
  );
}
