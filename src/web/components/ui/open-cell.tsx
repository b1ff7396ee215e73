import type { ReactNode } from 'react';
import { focusRing } from './button.js';
import { Td } from './table.js';

/**
 * The first cell of a row that opens its details: a button for keyboards and screen readers
 * (the whole row is clickable for the mouse), so a click on it opens once. `after` follows
 * the button in the cell (read as itself, not hidden behind the button's label).
 */
export function OpenCell({ onOpen, label, children, after }: { onOpen: () => void; label?: string; children: ReactNode; after?: ReactNode }) {
  return (
    <Td className="whitespace-nowrap">
      <button
        type="button"
        onClick={(e) => {
          e.stopPropagation();
          onOpen();
        }}
        className={`rounded-sm font-medium text-indigo-700 hover:underline ${focusRing}`}
        aria-label={label}
      >
        {children}
      </button>
      {after}
    </Td>
  );
}
