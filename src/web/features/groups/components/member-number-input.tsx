import { useEffect, useState } from 'react';

interface MemberNumberInputProps {
  label: string;
  value: number;
  onCommit: (value: number) => void;
  disabled?: boolean;
}

/** A 1–1000 number saved when the field is left or Enter is pressed; an invalid entry goes back. */
export function MemberNumberInput({ label, value, onCommit, disabled = false }: MemberNumberInputProps) {
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  const commit = () => {
    const n = Number(text);
    if (Number.isInteger(n) && n >= 1 && n <= 1000 && n !== value) onCommit(n);
    else setText(String(value));
  };
  return (
    <input
      type="number"
      min={1}
      max={1000}
      aria-label={label}
      value={text}
      disabled={disabled}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          commit();
        }
      }}
      className="w-20 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm tabular-nums text-slate-900 shadow-sm focus:outline-2 focus:-outline-offset-1 focus:outline-indigo-600 disabled:border-transparent disabled:bg-transparent disabled:shadow-none"
    />
  );
}
