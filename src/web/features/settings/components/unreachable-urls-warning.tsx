import { TriangleAlert } from 'lucide-react';

/**
 * The webhook URLs point where Cloudonix cannot reach (localhost, a private address) or use
 * plain http: the first-deploy mistake of copying them from a browser on the local machine.
 * `problem` is the server's sentence, which starts with what the URLs do ("points at …").
 */
export function UnreachableUrlsWarning({ problem }: { problem: string | null | undefined }) {
  if (!problem) return null;
  return (
    <section aria-label="Webhook URLs Cloudonix cannot use" data-testid="webhook-url-problem" className="flex gap-3 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950">
      <TriangleAlert className="mt-0.5 size-5 shrink-0 text-amber-600" aria-hidden="true" />
      <div className="min-w-0 flex-1 space-y-1">
        <h3 className="font-semibold">Cloudonix cannot use these URLs as they are</h3>
        <p>Each URL below {problem}</p>
      </div>
    </section>
  );
}
