import { TriangleAlert } from 'lucide-react';

interface GuessedUrlsWarningProps {
  /** Set while PUBLIC_URL is unset: the URLs are built from the address this browser used. */
  warning: string | null | undefined;
  /** Why Cloudonix could not use the URLs (localhost, a private address, plain http), if so: said in the same box. */
  problem?: string | null | undefined;
}

/** PUBLIC_URL is unset: the URLs below are built from the address this browser used, which Cloudonix may not reach. */
export function GuessedUrlsWarning({ warning, problem }: GuessedUrlsWarningProps) {
  if (!warning) return null;
  return (
    <section aria-label="Webhook URL warning" className="flex gap-3 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950">
      <TriangleAlert className="mt-0.5 size-5 shrink-0 text-amber-600" aria-hidden="true" />
      <div className="min-w-0 flex-1 space-y-1">
        <h3 className="font-semibold">These webhook URLs are a guess</h3>
        <p>{warning}</p>
        {problem && (
          <p data-testid="webhook-url-problem" className="font-medium">
            As they are, Cloudonix cannot use them: each URL below {problem}
          </p>
        )}
      </div>
    </section>
  );
}
