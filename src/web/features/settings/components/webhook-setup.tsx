import { Eye, EyeOff, RefreshCw } from 'lucide-react';
import { useState } from 'react';
import { Alert } from '../../../components/ui/alert.js';
import { Button } from '../../../components/ui/button.js';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.js';
import { CopyButton } from '../../../components/ui/copy-button.js';
import type { WebhookUrls } from '../../../../core/schemas/tenant.js';
import type { Tenant } from '../api/get-tenant.js';
import { useRotateWebhookSecret } from '../api/rotate-webhook-secret.js';
import { maskSecret } from '../mask-secret.js';
import { GuessedUrlsWarning } from './guessed-urls-warning.js';
import { UnreachableUrlsWarning } from './unreachable-urls-warning.js';
import { WebhookActivity } from './webhook-activity.js';
import { WebhookSecretGrace } from './webhook-secret-grace.js';
import { WebhookWiringWarning } from './webhook-wiring-warning.js';

const urls = [
  { key: 'voice_application', label: 'Voice application URL', where: 'The domain’s voice application (method POST).' },
  { key: 'session_update', label: 'Session update URL', where: 'The domain’s session update endpoint (setting session-update-endpoint).' },
  { key: 'cdr', label: 'CDR URL', where: 'The domain’s CDR endpoint (setting cdr-endpoint).' },
] as const;

/**
 * Whether Cloudonix sends every webhook (a warning when one is missing, and when each last
 * came), then for admins the exact URLs and secret, each with a copy button, and the rotate button.
 */
export function WebhookSetup({ tenant }: { tenant: Tenant }) {
  const webhookUrls = tenant.webhook_urls;
  return (
    <div className="space-y-5">
      <WebhookWiringWarning wiring={tenant.webhook_wiring} urls={webhookUrls} secret={tenant.webhook_secret} headingLevel={3} />
      <WebhookActivity wiring={tenant.webhook_wiring} />
      <GuessedUrlsWarning warning={tenant.webhook_urls_warning} problem={tenant.webhook_urls_problem} />
      {webhookUrls ? (
        <WebhookCredentials
          webhookUrls={webhookUrls}
          secret={tenant.webhook_secret ?? ''}
          graceHours={tenant.settings.webhook_security.rotation_grace_hours}
          previousExpiresAt={tenant.previous_webhook_secret_expires_at}
          previousLastUsedAt={tenant.previous_webhook_secret_last_used_at}
          problem={tenant.webhook_urls_problem}
          // The guess warning above already says why, when PUBLIC_URL is unset.
          problemShown={Boolean(tenant.webhook_urls_warning)}
        />
      ) : (
        <p className="border-t border-slate-200 pt-4 text-sm text-slate-600">Only admins can see the webhook secret and the URLs to paste into Cloudonix.</p>
      )}
    </div>
  );
}

interface WebhookCredentialsProps {
  webhookUrls: WebhookUrls;
  secret: string;
  /** How long a replaced secret keeps working (tenant setting). */
  graceHours: number;
  /** While the secret the last rotation replaced still works: until when. */
  previousExpiresAt: string | null | undefined;
  /** When a webhook last carried that previous secret (null: none since the rotation). */
  previousLastUsedAt: string | null | undefined;
  /** Why Cloudonix could not use these URLs (localhost, private address, plain http), if so. */
  problem: string | null | undefined;
  /** The problem is already said in the PUBLIC_URL warning: only the URLs are marked here. */
  problemShown: boolean;
}

function WebhookCredentials({ webhookUrls, secret, graceHours, previousExpiresAt, previousLastUsedAt, problem, problemShown }: WebhookCredentialsProps) {
  const [shown, setShown] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const rotate = useRotateWebhookSecret({ onSuccess: () => setConfirming(false) });

  return (
    <div className="space-y-5 border-t border-slate-200 pt-5">
      {rotate.isSuccess && (
        <p role="status" className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
          {rotate.data.previous_webhook_secret_expires_at
            ? 'New secret created. Paste the new URLs into Cloudonix; the old secret keeps working meanwhile (see below).'
            : 'New secret created. The old one no longer works: paste the new URLs into Cloudonix now.'}
        </p>
      )}
      <WebhookSecretGrace expiresAt={previousExpiresAt} lastUsedAt={previousLastUsedAt} />
      {!problemShown && <UnreachableUrlsWarning problem={problem} />}
      {urls.map((u) => (
        <div key={u.key}>
          <p className="text-sm font-medium text-slate-700">{u.label}</p>
          <p className="text-xs text-slate-600">{u.where}</p>
          <div className="mt-1.5 flex items-stretch gap-2">
            <code
              className={`min-w-0 flex-1 break-all rounded-md border bg-slate-50 px-3 py-2 font-mono text-xs text-slate-800 ${problem ? 'border-amber-400' : 'border-slate-200'}`}
              data-url={u.key}
              title={problem ? 'Cloudonix cannot use this URL as it is: see the warning above' : undefined}
            >
              {shown ? webhookUrls[u.key] : maskSecret(webhookUrls[u.key], secret)}
            </code>
            <CopyButton value={webhookUrls[u.key]} label={`Copy the ${u.label.toLowerCase()}`} />
          </div>
        </div>
      ))}
      <div>
        <p className="text-sm font-medium text-slate-700">Webhook secret</p>
        <p className="text-xs text-slate-600">Set it as the domain’s authorization API key in Cloudonix; it is already inside the URLs above.</p>
        <div className="mt-1.5 flex flex-wrap items-stretch gap-2">
          <code className="min-w-0 flex-1 break-all rounded-md border border-slate-200 bg-slate-50 px-3 py-2 font-mono text-xs text-slate-800">{shown ? secret : '••••••••••••••••'}</code>
          <Button variant="secondary" onClick={() => setShown(!shown)} icon={shown ? <EyeOff className="size-4" aria-hidden="true" /> : <Eye className="size-4" aria-hidden="true" />}>
            {shown ? 'Hide' : 'Show'}
          </Button>
          <CopyButton value={secret} label="Copy the webhook secret" />
        </div>
      </div>
      <div className="flex justify-end border-t border-slate-200 pt-4">
        <Button variant="secondary" onClick={() => setConfirming(true)} icon={<RefreshCw className="size-4" aria-hidden="true" />}>
          Rotate secret
        </Button>
      </div>
      {rotate.error && !confirming && <Alert title="Could not rotate the secret">{rotate.error.message}</Alert>}
      <ConfirmDialog
        open={confirming}
        title="Rotate the webhook secret?"
        confirmLabel="Rotate now"
        pending={rotate.isPending}
        error={rotate.error}
        onClose={() => setConfirming(false)}
        onConfirm={() => rotate.mutate()}
      >
        {graceHours > 0 ? (
          <p>
            The current secret keeps working for {graceHours === 1 ? 'one hour' : `${graceHours} hours`}, so calls in progress complete; paste the new URLs into Cloudonix
            within that time. A secret replaced earlier and still accepted stops working now.
          </p>
        ) : (
          <p>The current secret stops working immediately. Calls are refused until Cloudonix has the new URLs, so have the Cloudonix settings open.</p>
        )}
      </ConfirmDialog>
    </div>
  );
}
