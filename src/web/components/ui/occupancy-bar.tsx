/** "5 of 5 busy", "2 live, no cap": one way to say an agent's or a group's load. */
export function occupancyText(live: number, cap: number | null): string {
  return cap === null ? `${live} live, no cap` : `${live} of ${cap} busy`;
}

/**
 * Live calls against a cap, as a bar: indigo while there is room, amber from 80%,
 * red at the cap (the next call skips it). Without a cap the bar stays empty and the
 * text says so. A meter for screen readers, its value in the same words.
 */
export function OccupancyBar({ live, cap, label }: { live: number; cap: number | null; label: string }) {
  const fraction = cap === null ? 0 : cap === 0 ? 1 : Math.min(1, live / cap);
  const tone = cap === null ? 'bg-slate-300' : fraction >= 1 ? 'bg-red-500' : fraction >= 0.8 ? 'bg-amber-500' : 'bg-indigo-500';
  return (
    <div
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={cap ?? Math.max(live, 1)}
      aria-valuenow={live}
      aria-valuetext={occupancyText(live, cap)}
      className="h-2 w-full overflow-hidden rounded-full bg-slate-200"
    >
      <div className={`h-full rounded-full transition-[width] duration-500 ${tone}`} style={{ width: `${Math.round(fraction * 100)}%` }} />
    </div>
  );
}
