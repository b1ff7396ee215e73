import type { ReactNode } from 'react';

/** A row of filters above a list; wraps on narrow screens, where the filters share each line (two to a phone's width). */
export function Toolbar({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mb-4 flex flex-wrap items-end gap-3 max-sm:[&>*]:w-auto max-sm:[&>*]:min-w-36 max-sm:[&>*]:flex-1">
      {children}
      {actions && <div className="ml-auto flex flex-wrap items-end gap-2">{actions}</div>}
    </div>
  );
}
