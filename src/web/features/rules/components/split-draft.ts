import { MAX_SPLIT_ARMS, percentTenths, type SplitArmView } from '../../../../core/schemas/split.js';

/** One arm as the form holds it: the target as `agent:3` / `group:5`, the percent as typed. */
export interface ArmDraft {
  label: string;
  target: string;
  percent: string;
}

const LABELS = 'ABCDEFGHIJ';

/** The arms of a stored split, or two empty arms A and B at 50/50 for a new one. */
export function armsDraftOf(split: readonly SplitArmView[] | null | undefined, firstTarget: string): ArmDraft[] {
  if (split?.length) return split.map((a) => ({ label: a.label, target: `${a.target.type}:${a.target.id}`, percent: String(a.percent) }));
  return [
    { label: 'A', target: firstTarget, percent: '50' },
    { label: 'B', target: firstTarget, percent: '50' },
  ];
}

/** A new arm labelled with the next free letter, taking no share until the user gives it one. */
export function nextArm(arms: readonly ArmDraft[], firstTarget: string): ArmDraft | null {
  if (arms.length >= MAX_SPLIT_ARMS) return null;
  const used = new Set(arms.map((a) => a.label.toUpperCase()));
  const label = [...LABELS].find((l) => !used.has(l)) ?? `Arm ${arms.length + 1}`;
  return { label, target: firstTarget, percent: '0' };
}

/** The request's arms: what the user typed, for the server's schema to judge (an empty percent stays NaN and is refused). */
export function splitInput(arms: readonly ArmDraft[]): unknown[] {
  return arms.map((a) => {
    const [type, id] = a.target.split(':');
    return { label: a.label, target: { type, id: Number(id) }, percent: a.percent.trim() === '' ? Number.NaN : Number(a.percent) };
  });
}

/** The arms' total in percent (tenths added, so 33.3 + 33.3 + 33.4 is 100), or null while a percent is not a number. */
export function percentTotal(arms: readonly ArmDraft[]): number | null {
  let tenths = 0;
  for (const a of arms) {
    const p = Number(a.percent);
    if (a.percent.trim() === '' || !Number.isFinite(p)) return null;
    tenths += percentTenths(p);
  }
  return tenths / 10;
}
