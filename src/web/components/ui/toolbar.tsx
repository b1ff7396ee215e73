import type { ReactNode } from 'react';

/** A row of filters above a list; wraps on narrow screens. */
export function Toolbar({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mb-4 flex flex-wrap items-end gap-3">
      {children}
      {actions && <div className="ml-auto flex flex-wrap items-end gap-2">{actions}</div>}
    </div>
  );
}
