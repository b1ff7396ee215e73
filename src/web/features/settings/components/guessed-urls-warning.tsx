import { TriangleAlert } from 'lucide-react';

/** PUBLIC_URL is unset: the URLs below are built from the address this browser used, which Cloudonix may not reach. */
export function GuessedUrlsWarning({ warning }: { warning: string | null | undefined }) {
  if (!warning) return null;
  return (
    <section aria-label="Webhook URL warning" className="flex gap-3 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950">
      <TriangleAlert className="mt-0.5 size-5 shrink-0 text-amber-600" aria-hidden="true" />
      <div className="min-w-0 flex-1 space-y-1">
        <h3 className="font-semibold">These webhook URLs are a guess</h3>
        <p>{warning}</p>
      </div>
    </section>
  );
}
