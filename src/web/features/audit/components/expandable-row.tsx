import { ChevronDown, ChevronRight } from 'lucide-react';
import { useId, useState, type ReactNode } from 'react';
import { focusRing } from '../../../components/ui/button.js';
import { Th } from '../../../components/ui/table.js';

interface ExpandableRowProps {
  /** The row's cells after the toggle cell. */
  cells: ReactNode;
  /** Shown in a full-width row below when open. */
  details: ReactNode;
  label: string;
  columns: number;
}

/** A table row with a button that opens a details row below it. */
export function ExpandableRow({ cells, details, label, columns }: ExpandableRowProps) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const Icon = open ? ChevronDown : ChevronRight;
  return (
    <>
      <tr className="hover:bg-slate-50">
        <td className="w-10 px-2 py-3 text-center">
          <button
            type="button"
            aria-expanded={open}
            aria-controls={id}
            aria-label={`${open ? 'Hide' : 'Show'} details of ${label}`}
            onClick={() => setOpen(!open)}
            className={`rounded p-1 text-slate-500 hover:bg-slate-100 hover:text-slate-900 ${focusRing}`}
          >
            <Icon className="size-4" aria-hidden="true" />
          </button>
        </td>
        {cells}
      </tr>
      {open && (
        <tr id={id} className="bg-slate-50">
          <td colSpan={columns} className="px-4 py-4">
            {details}
          </td>
        </tr>
      )}
    </>
  );
}

/** The header of the toggle column that starts each ExpandableRow. */
export function DetailsHeader() {
  return (
    <Th>
      <span className="sr-only">Details</span>
    </Th>
  );
}
