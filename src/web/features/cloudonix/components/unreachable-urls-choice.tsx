import { TriangleAlert } from 'lucide-react';

/**
 * This service's webhook URLs point where Cloudonix cannot reach (a loopback or private address,
 * plain http): setting them up anyway is for trials and tests, so it takes an explicit tick.
 * `problem` is the server's words after the URL ("points at 127.0.0.1, …").
 */
export function UnreachableUrlsChoice({ problem, checked, onChange }: { problem: string; checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <div className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950">
      <p className="flex items-start gap-2">
        <TriangleAlert className="mt-0.5 size-4 shrink-0 text-amber-600" aria-hidden="true" />
        <span className="min-w-0 [overflow-wrap:anywhere]">Each of our webhook URLs {problem}</span>
      </p>
      <label className="flex items-start gap-2">
        <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} className="mt-0.5 size-4 shrink-0 rounded border-slate-300 accent-indigo-600" />
        <span>Set up these URLs anyway (for a trial or a test: Cloudonix cannot reach them as they are)</span>
      </label>
    </div>
  );
}
