import { CopyButton } from '../../../components/ui/copy-button.js';

/** A single-use link the admin hands over themselves, because no email carried it. */
export function LinkToPassOn({ url, what }: { url: string; what: string }) {
  return (
    <div className="space-y-2">
      <p className="text-sm text-slate-700">No email was sent (no mail server is set up, or it refused). Pass this {what} on yourself; it works once.</p>
      <div className="flex items-center gap-2">
        <input readOnly aria-label={`${what} link`} value={url} className="min-w-0 flex-1 rounded-md border border-slate-300 bg-slate-50 px-2 py-1.5 font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
        <CopyButton value={url} label={`Copy the ${what} link`} />
      </div>
    </div>
  );
}
