import { Clock } from 'lucide-react';
import { useState } from 'react';
import { Button } from '../../../components/ui/button.js';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.js';
import { formatDateTime } from '../../../lib/format.js';
import { useEndWebhookSecretGrace } from '../api/end-webhook-secret-grace.js';

/**
 * While the secret a rotation replaced is still accepted: until when (in the browser's
 * local time), what to do in Cloudonix meanwhile, whether webhooks still carry it (once they
 * stop, Cloudonix has the new secret), and a way to stop accepting it now.
 */
export function WebhookSecretGrace({ expiresAt, lastUsedAt }: { expiresAt: string | null | undefined; lastUsedAt: string | null | undefined }) {
  const [confirming, setConfirming] = useState(false);
  const end = useEndWebhookSecretGrace({ onSuccess: () => setConfirming(false) });
  if (!expiresAt) return null;
  return (
    <div role="status" aria-label="Previous webhook secret" className="flex flex-wrap items-start gap-3 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-950">
      <Clock className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
      <div className="min-w-0 flex-1 space-y-1">
        <p>
          The previous secret still works until <time dateTime={expiresAt}>{formatDateTime(expiresAt)}</time>.
        </p>
        <p className="text-amber-900">Calls in progress complete with it. Paste the new URLs below into your Cloudonix domain before then; after that, requests with the old secret are refused.</p>
        <p className="text-amber-900" data-previous-secret-use="">
          {lastUsedAt ? (
            <>
              A webhook last used the previous secret at <time dateTime={lastUsedAt}>{formatDateTime(lastUsedAt)}</time>.
            </>
          ) : (
            'No webhook has used the previous secret since the rotation.'
          )}
        </p>
      </div>
      <Button variant="secondary" onClick={() => setConfirming(true)}>
        Stop accepting it now
      </Button>
      <ConfirmDialog
        open={confirming}
        title="Stop accepting the previous secret?"
        confirmLabel="Stop accepting it"
        pending={end.isPending}
        error={end.error}
        onClose={() => setConfirming(false)}
        onConfirm={() => end.mutate()}
      >
        <p>Do this when the old secret leaked. Requests that still carry it, including callbacks of calls in progress, are refused from now on.</p>
      </ConfirmDialog>
    </div>
  );
}
