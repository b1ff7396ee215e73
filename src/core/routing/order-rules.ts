import type { SplitArm } from '../schemas/split.js';
import { compilePattern, matchesPattern, type CompiledPattern } from './number-pattern.js';
import type { RuleSchedule } from './rule-schedule.js';
import { trunksAttribute } from './trunks-attribute.js';

/**
 * Evaluation order of routing rules, and the first rule that matches a call.
 *
 * Order: `priority` ascending (the admin's explicit say), then pattern specificity
 * descending (so `+12125550187` is tried before `+1212555????` before `+1212*` when
 * priorities tie, whatever order they were created in), then `position` ascending (set
 * by reorder: the tie-break among equally specific rules), then id (stable).
 */
export interface Orderable {
  readonly id: number;
  readonly priority: number;
  readonly position: number;
  readonly specificity: number;
}

export function orderRules<R extends Orderable>(rules: readonly R[]): R[] {
  return [...rules].sort((x, y) => x.priority - y.priority || y.specificity - x.specificity || x.position - y.position || x.id - y.id);
}

export interface InboundRule {
  readonly id: number;
  readonly name: string | null;
  readonly pattern: string;
  /** 'split': `split` holds the arms and targetId is meaningless. */
  readonly targetType: 'agent' | 'group' | 'split';
  readonly targetId: number;
  /** A weighted split's arms (core/splits); absent or null unless targetType is 'split'. */
  readonly split?: readonly SplitArm[] | null | undefined;
  readonly priority: number;
  readonly position: number;
  readonly enabled: boolean;
  /** When the rule is open; absent or null: always. */
  readonly schedule?: RuleSchedule | null | undefined;
}

export interface CompiledInboundRule extends InboundRule {
  readonly compiled: CompiledPattern;
  readonly specificity: number;
}

export interface OutboundRule {
  readonly id: number;
  readonly name: string;
  /** Which callers (the agents' caller IDs) the rule applies to. */
  readonly callerIdPattern: string;
  readonly destinationPattern: string;
  /** Trunk names or numeric Cloudonix trunk ids. */
  readonly trunks: readonly (string | number)[];
  /** Caller ID presented on the outbound leg instead of the agent's own; null keeps it. */
  readonly callerIdOverride: string | null;
  readonly priority: number;
  readonly position: number;
  readonly enabled: boolean;
}

export interface CompiledOutboundRule extends OutboundRule {
  readonly callerId: CompiledPattern;
  readonly destination: CompiledPattern;
  /** Both patterns count: a rule pinning caller and destination beats one pinning only the caller. */
  readonly specificity: number;
  /** The `<Dial trunks="...">` value. */
  readonly trunksAttribute: string;
}

/** A stored rule left out of routing because its pattern no longer compiles (rules only get stricter). */
export interface SkippedRule {
  readonly id: number;
  readonly field: 'pattern' | 'caller_id' | 'destination_pattern';
  readonly error: string;
}

export interface CompiledRules<R> {
  /** In evaluation order. */
  readonly rules: readonly R[];
  readonly skipped: readonly SkippedRule[];
}

export function compileInboundRules(rows: readonly InboundRule[]): CompiledRules<CompiledInboundRule> {
  const rules: CompiledInboundRule[] = [];
  const skipped: SkippedRule[] = [];
  for (const row of rows) {
    const result = compilePattern(row.pattern);
    if (!result.ok) skipped.push({ id: row.id, field: 'pattern', error: result.error });
    else rules.push(Object.assign({}, row, { compiled: result.pattern, specificity: result.pattern.specificity }));
  }
  return { rules: orderRules(rules), skipped };
}

export function compileOutboundRules(rows: readonly OutboundRule[]): CompiledRules<CompiledOutboundRule> {
  const rules: CompiledOutboundRule[] = [];
  const skipped: SkippedRule[] = [];
  for (const row of rows) {
    const callerId = compilePattern(row.callerIdPattern);
    const destination = compilePattern(row.destinationPattern);
    if (!callerId.ok) skipped.push({ id: row.id, field: 'caller_id', error: callerId.error });
    else if (!destination.ok) skipped.push({ id: row.id, field: 'destination_pattern', error: destination.error });
    else {
      rules.push(
        Object.assign({}, row, {
          callerId: callerId.pattern,
          destination: destination.pattern,
          specificity: callerId.pattern.specificity + destination.pattern.specificity,
          trunksAttribute: trunksAttribute(row.trunks),
        }),
      );
    }
  }
  return { rules: orderRules(rules), skipped };
}

/** The first enabled rule (of rules already in evaluation order) whose pattern fits the dialled digits. */
export function findMatchingRule(ordered: readonly CompiledInboundRule[], digits: string): CompiledInboundRule | undefined {
  return ordered.find((r) => r.enabled && matchesPattern(r.compiled, digits));
}

/** The first enabled outbound rule whose caller-ID pattern fits the caller and whose destination pattern fits the callee. */
export function findMatchingOutboundRule(
  ordered: readonly CompiledOutboundRule[],
  callerDigits: string,
  destinationDigits: string,
): CompiledOutboundRule | undefined {
  return ordered.find((r) => r.enabled && matchesPattern(r.callerId, callerDigits) && matchesPattern(r.destination, destinationDigits));
}

function few(ids: readonly number[]): string {
  return ids.length > 10 ? `${ids.slice(0, 10).join(', ')} and ${ids.length - 10} more` : ids.join(', ');
}

/** Why `ids` is not a new order of exactly the `existing` rule ids (each once), or undefined when it is. */
export function reorderProblem(ids: readonly number[], existing: readonly number[]): string | undefined {
  const seen = new Set<number>();
  const twice = new Set<number>();
  for (const id of ids) {
    if (seen.has(id)) twice.add(id);
    seen.add(id);
  }
  if (twice.size > 0) return `lists ${few([...twice])} more than once`;
  const known = new Set(existing);
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) return `holds ids that are not rules of this tenant: ${few(unknown)}`;
  const missing = existing.filter((id) => !seen.has(id));
  if (missing.length > 0) return `must list every rule of the tenant exactly once; missing: ${few(missing)}`;
  return undefined;
}
