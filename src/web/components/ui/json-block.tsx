/** Raw JSON (a webhook body, a before/after state), pretty-printed and scrollable. */
export function JsonBlock({ value, label }: { value: unknown; label: string }) {
  const text = value === undefined ? '—' : JSON.stringify(value, null, 2);
  return (
    <pre aria-label={label} tabIndex={0} className="max-h-80 overflow-auto rounded-lg bg-slate-900 p-3 font-mono text-xs leading-relaxed text-slate-100 dark:bg-slate-50 dark:text-slate-800 dark:ring-1 dark:ring-slate-200">
      {text}
    </pre>
  );
}
