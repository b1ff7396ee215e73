import { TriangleAlert } from 'lucide-react';
import type { WebhookUrls, WebhookWiringView } from '../../../../core/schemas/tenant.js';
import { CopyButton } from '../../../components/ui/copy-button.js';
import { TextLink } from '../../../components/ui/text-link.js';
import { maskSecret } from '../mask-secret.js';

type WiringProblem = WebhookWiringView['problems'][number];

const webhookNames: Readonly<Record<WiringProblem['webhook'], { plural: string; url: string }>> = {
  session_update: { plural: 'session updates', url: 'session update URL' },
  cdr: { plural: 'CDRs', url: 'CDR URL' },
};

interface WebhookWiringWarningProps {
  wiring: WebhookWiringView;
  /** Admins only: the URLs to paste. Without them the warning says who can fix it. */
  urls: WebhookUrls | undefined;
  secret: string | undefined;
  /** On pages other than Settings: a link to where the URLs are. */
  settingsLink?: boolean;
  /** 2 at the top of a page, 3 inside a titled section. */
  headingLevel?: 2 | 3;
}

/**
 * Calls are routed but Cloudonix is not sending a webhook (typically only the voice
 * URL was pasted): which domain setting to fill in, and for admins the exact URL.
 */
export function WebhookWiringWarning({ wiring, urls, secret = '', settingsLink = false, headingLevel = 2 }: WebhookWiringWarningProps) {
  const { problems } = wiring;
  if (problems.length === 0) return null;
  const missing = problems.map((p) => webhookNames[p.webhook].plural).join(' or ');
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section aria-label="Cloudonix webhook warning" className="flex gap-3 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950">
      <TriangleAlert className="mt-0.5 size-5 shrink-0 text-amber-600" aria-hidden="true" />
      <div className="min-w-0 flex-1 space-y-3">
        <Heading className="font-semibold">Cloudonix is not sending {missing}</Heading>
        {problems.map((p) => (
          <div key={p.webhook} className="space-y-1.5" data-wiring-problem={p.webhook}>
            <p>{p.message}</p>
            <p>
              In the Cloudonix domain, fill in the setting <code className="rounded bg-amber-100 px-1 font-mono text-xs">{p.setting}</code>
              {urls ? ' with:' : '. An admin finds the URL to paste under Settings.'}
            </p>
            {urls && (
              <div className="flex items-stretch gap-2">
                <code className="min-w-0 flex-1 break-all rounded-md border border-amber-200 bg-white px-3 py-2 font-mono text-xs text-slate-800">{maskSecret(urls[p.webhook], secret)}</code>
                <CopyButton value={urls[p.webhook]} label={`Copy the ${webhookNames[p.webhook].url} for ${p.setting}`} />
              </div>
            )}
          </div>
        ))}
        {settingsLink && (
          <p>
            <TextLink to="/settings">{urls ? 'See every Cloudonix URL in Settings' : 'See which webhooks arrive in Settings'}</TextLink>
          </p>
        )}
      </div>
    </section>
  );
}
