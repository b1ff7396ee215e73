import { matchesPattern } from './number-pattern.js';
import type { CompiledInboundRule } from './order-rules.js';
import { isOpenAt } from './rule-schedule.js';

/** A rule that matched the number but was closed at the call's moment. */
export interface ScheduleSkip {
  readonly rule_id: number;
  readonly name: string | null;
  readonly reason: 'outside_hours' | 'holiday';
}

export interface OpenRuleMatch {
  readonly rule: CompiledInboundRule | undefined;
  /** In evaluation order; empty (and shared) when no schedule closed a matching rule. */
  readonly scheduleSkipped: readonly ScheduleSkip[];
}

const NONE: readonly ScheduleSkip[] = Object.freeze([]);

/**
 * The first enabled rule (of rules in evaluation order) whose pattern fits the dialled
 * digits and whose schedule, if it has one, is open at `at` in `timeZone`; matching rules
 * closed by their schedule are listed with the reason. Rules without a schedule cost no
 * time or zone work: a tenant that uses none decides exactly as before.
 */
export function findOpenRule(ordered: readonly CompiledInboundRule[], digits: string, at: number, timeZone: string): OpenRuleMatch {
  let skipped: ScheduleSkip[] | undefined;
  for (const rule of ordered) {
    if (!rule.enabled || !matchesPattern(rule.compiled, digits)) continue;
    if (rule.schedule) {
      const verdict = isOpenAt(rule.schedule, at, timeZone);
      if (verdict !== 'open') {
        (skipped ??= []).push({ rule_id: rule.id, name: rule.name, reason: verdict });
        continue;
      }
    }
    return { rule, scheduleSkipped: skipped ?? NONE };
  }
  return { rule: undefined, scheduleSkipped: skipped ?? NONE };
}
