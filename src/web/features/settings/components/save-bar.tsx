import { Check } from 'lucide-react';
import { Button } from '../../../components/ui/button.js';

/** The save button of one settings form, with a short "Saved" once it worked. */
export function SaveBar({ pending, saved, label = 'Save' }: { pending: boolean; saved: boolean; label?: string }) {
  return (
    <div className="mt-5 flex items-center justify-end gap-3">
      {saved && (
        <p role="status" className="flex items-center gap-1 text-sm text-emerald-700">
          <Check className="size-4" aria-hidden="true" />
          Saved
        </p>
      )}
      <Button type="submit" loading={pending}>
        {label}
      </Button>
    </div>
  );
}
