import { focusRing } from './button.js';

interface SwitchProps {
  checked: boolean;
  onChange: (checked: boolean) => void;
  /** What the switch turns on, read by screen readers ("Enable Sales line"). */
  label: string;
  disabled?: boolean;
  /** Show the label next to the switch instead of only to screen readers. */
  showLabel?: boolean;
}

/** An on/off switch (a button with role="switch"), operable with Space and Enter. */
export function Switch({ checked, onChange, label, disabled = false, showLabel = false }: SwitchProps) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      aria-label={showLabel ? undefined : label}
      disabled={disabled}
      onClick={() => onChange(!checked)}
      className={`group inline-flex items-center gap-2 rounded-full disabled:cursor-not-allowed disabled:opacity-60 ${focusRing}`}
    >
      <span className={`relative inline-flex h-5 w-9 shrink-0 items-center rounded-full transition-colors ${checked ? 'bg-indigo-600' : 'bg-slate-300'}`}>
        <span className={`inline-block size-4 rounded-full bg-white shadow transition-transform dark:bg-slate-900 ${checked ? 'translate-x-4.5' : 'translate-x-0.5'}`} />
      </span>
      {showLabel && <span className="text-sm text-slate-700">{label}</span>}
    </button>
  );
}
