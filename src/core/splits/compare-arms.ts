import { histogramMedian, type HistogramBin } from '../stats/histogram-median.js';
import { wilsonInterval, type Interval } from '../stats/wilson-interval.js';

/** Below this many calls in an arm, its answer rate's interval is too wide to compare on. */
export const MIN_CALLS_PER_ARM = 30;
/** Answered calls shorter than this count as short (an agent that answers and drops). */
export const DEFAULT_SHORT_CALL_SECONDS = 10;

/** What the database counted for one arm (its variant) in a time range. */
export interface ArmCounts {
  readonly label: string;
  readonly calls: number;
  readonly answered: number;
  /** Billed seconds of the answered calls, grouped: [billsec, calls]. */
  readonly billsec: readonly HistogramBin[];
}

export interface ArmStats {
  readonly label: string;
  readonly calls: number;
  readonly answered: number;
  readonly answer_rate: number | null;
  readonly answer_rate_ci95: Interval | null;
  /** Answered calls with a known billsec: the sample behind the duration figures. */
  readonly duration_sample: number;
  readonly avg_billsec: number | null;
  readonly median_billsec: number | null;
  readonly short_calls: number;
  readonly short_call_share: number | null;
}

export type Verdict =
  | { readonly kind: 'too_small'; readonly message: string }
  | { readonly kind: 'no_difference'; readonly message: string }
  | { readonly kind: 'better'; readonly label: string; readonly message: string };

const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;
const pct = (x: number) => `${round(x * 100, 1)}%`;

/** One arm's figures from its counts: answer rate with a 95% Wilson interval, billsec average and median, short-call share. */
export function armStats(counts: ArmCounts, shortSeconds = DEFAULT_SHORT_CALL_SECONDS): ArmStats {
  const sample = counts.billsec.reduce((s, [, c]) => s + c, 0);
  const sum = counts.billsec.reduce((s, [v, c]) => s + v * c, 0);
  const short = counts.billsec.reduce((s, [v, c]) => s + (v < shortSeconds ? c : 0), 0);
  const interval = wilsonInterval(counts.answered, counts.calls);
  const median = histogramMedian(counts.billsec);
  return {
    label: counts.label,
    calls: counts.calls,
    answered: counts.answered,
    answer_rate: counts.calls === 0 ? null : round(counts.answered / counts.calls, 4),
    answer_rate_ci95: interval && { low: round(interval.low, 4), high: round(interval.high, 4) },
    duration_sample: sample,
    avg_billsec: sample === 0 ? null : round(sum / sample, 1),
    median_billsec: median === null ? null : round(median, 1),
    short_calls: short,
    short_call_share: sample === 0 ? null : round(short / sample, 4),
  };
}

/**
 * Whether the arms' answer rates can be told apart: not while any arm has fewer than
 * MIN_CALLS_PER_ARM calls; a clear winner only when its 95% interval lies wholly above
 * every other arm's; else "no clear difference yet". Plain words for the UI to show.
 */
export function verdictOf(arms: readonly ArmStats[]): Verdict {
  const small = arms.filter((a) => a.calls < MIN_CALLS_PER_ARM);
  if (arms.length < 2 || small.length > 0) {
    const names = small.map((a) => a.label).join(', ');
    return { kind: 'too_small', message: `Too few calls to tell yet: each arm needs at least ${MIN_CALLS_PER_ARM}${names ? ` (${names} ${small.length > 1 ? 'have' : 'has'} fewer)` : ''}.` };
  }
  const best = [...arms].sort((a, b) => (b.answer_rate ?? 0) - (a.answer_rate ?? 0))[0]!;
  const clear = arms.every((a) => a === best || (a.answer_rate_ci95 !== null && best.answer_rate_ci95 !== null && best.answer_rate_ci95.low > a.answer_rate_ci95.high));
  if (!clear) return { kind: 'no_difference', message: 'No clear difference in answer rate yet: the 95% intervals overlap.' };
  return { kind: 'better', label: best.label, message: `${best.label} answers more calls (${pct(best.answer_rate ?? 0)}); its 95% interval lies above every other arm's.` };
}
