import type { UnsavedChangesPrompt } from '../../lib/use-unsaved-changes.js';
import { ConfirmDialog } from './confirm-dialog.js';

/** The question `useUnsavedChanges` asks before a form's changes are thrown away. */
export function UnsavedChangesDialog({ prompt, what = 'changes' }: { prompt: UnsavedChangesPrompt; what?: string }) {
  return (
    <ConfirmDialog open={prompt.open} title="Leave without saving?" confirmLabel="Discard changes" cancelLabel="Keep editing" onConfirm={prompt.leave} onClose={prompt.stay}>
      <p>Your {what} have not been saved. If you leave now, they are lost.</p>
    </ConfirmDialog>
  );
}
