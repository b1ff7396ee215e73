import { invalidFields, notFound } from '../core/errors.js';
import type { Actor } from '../core/principal.js';
import { compilePattern } from '../core/routing/number-pattern.js';
import { compileInboundRules, orderRules, type CompiledInboundRule, type InboundRule } from '../core/routing/order-rules.js';
import {
  inboundRuleBody,
  type InboundRuleInput,
  type InboundRuleView,
  type RuleListQuery,
  type UpdateInboundRuleInput,
} from '../core/schemas/routing-rules.js';
import { parseOrThrow } from '../core/validation.js';
import { parseStoredSchedule, type RuleScheduleInput } from '../core/schemas/rule-schedule.js';
import type { RealtimeRuleChange } from '../core/schemas/realtime.js';
import type { Plane } from '../plane/plane.js';
import type { Store } from '../store/database.js';
import type { InboundRuleWithTarget } from '../store/inbound-rules.js';
import type { Repositories } from '../store/index.js';
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';
import { assertPermutation, pageOfRules, publishRulesChanged } from './routing-rules-shared.js';
import { armViews, assertArmTargets, storedArms } from './split-arms.js';
import { readJson, writeJson } from '../store/json-column.js';
import { isoTime, type PageMeta } from './views.js';

interface Deps {
  store: Store;
  repos: Repositories;
  plane: Plane;
  clock: Clock;
  logger: Logger;
  /** Told after every committed change (the real-time feed announces it to dashboards). */
  onChange?: ((tenantId: number, change: RealtimeRuleChange) => void) | undefined;
}

type Trx = Store['db'];

function toView(row: InboundRuleWithTarget, split: InboundRuleView['split'] = null): InboundRuleView {
  const compiled = compilePattern(row.pattern);
  return {
    id: Number(row.id),
    name: row.name,
    pattern: row.pattern,
    pattern_kind: compiled.ok ? compiled.pattern.kind : null,
    target_type: row.target_type as InboundRuleView['target_type'],
    target_id: row.target_type === 'split' ? null : Number(row.target_id),
    target_name: row.target_name,
    split,
    priority: Number(row.priority),
    position: Number(row.position),
    enabled: Number(row.enabled) === 1,
    schedule: storedSchedule(row),
    created_at: isoTime(row.created_at),
    updated_at: isoTime(row.updated_at),
  };
}

function toRule(row: InboundRuleWithTarget): InboundRule {
  return {
    id: Number(row.id),
    name: row.name,
    pattern: row.pattern,
    targetType: row.target_type as InboundRule['targetType'],
    targetId: Number(row.target_id),
    split: row.target_type === 'split' ? storedArms(row.split) : null,
    priority: Number(row.priority),
    position: Number(row.position),
    enabled: Number(row.enabled) === 1,
    schedule: storedSchedule(row),
  };
}

/** The target's columns: a split keeps its arms as JSON and target_id 0 (the column is not null; nothing reads it then). */
function targetColumns(input: InboundRuleInput) {
  return input.target_type === 'split'
    ? { target_type: 'split', target_id: 0, split: writeJson(input.split) }
    : { target_type: input.target_type, target_id: input.target_id!, split: null };
}

/**
 * A PUT's target merged with the stored one: switching to an agent or group drops the arms,
 * switching to a split drops the stored target id; arms or an id not given are kept only
 * while the kind of target stays.
 */
function mergedTarget(patch: UpdateInboundRuleInput, before: InboundRuleView) {
  const type = patch.target_type ?? before.target_type;
  const same = type === before.target_type;
  return {
    target_type: type,
    target_id: patch.target_id !== undefined ? patch.target_id : same ? before.target_id : undefined,
    split: patch.split !== undefined ? patch.split : same && before.split ? before.split.map(({ label, target, percent }) => ({ label, target, percent })) : undefined,
  };
}

function storedSchedule(row: InboundRuleWithTarget): RuleScheduleInput | null {
  return parseStoredSchedule(readJson<unknown>(row.schedule, null));
}

/** The schedule column: null when the rule is always open. */
function scheduleColumn(schedule: RuleScheduleInput | null): string | null {
  return schedule ? writeJson(schedule) : null;
}

/** Rows in evaluation order; a pattern that no longer compiles sorts last within its priority. */
function evaluationOrder(rows: readonly InboundRuleWithTarget[]): InboundRuleWithTarget[] {
  const keyed = rows.map((row) => {
    const c = compilePattern(row.pattern);
    return { row, id: Number(row.id), priority: Number(row.priority), position: Number(row.position), specificity: c.ok ? c.pattern.specificity : -1 };
  });
  return orderRules(keyed).map((k) => k.row);
}

/**
 * Inbound routing rules: which agent or group a dialled number is sent to. Every write takes
 * the tenant lock (as deleting an agent or group does), so a rule can never be created
 * pointing at a target that is being deleted, and announces the change on the plane so every
 * instance's routing engine drops its compiled copy of the tenant's rules.
 */
export function createInboundRulesService({ store, repos, plane, clock, logger, onChange }: Deps) {
  async function detail(tenantId: number, id: number, trx: Trx = store.db): Promise<InboundRuleView> {
    const row = await repos.inboundRules.findById(tenantId, id, trx);
    if (!row) throw notFound('Inbound routing rule');
    return withArms(tenantId, row, trx);
  }

  /** The view of a rule, with its split's arms named when it has them. */
  async function withArms(tenantId: number, row: InboundRuleWithTarget, trx: Trx): Promise<InboundRuleView> {
    const arms = row.target_type === 'split' ? storedArms(row.split) : null;
    return toView(row, arms ? await armViews(repos, tenantId, arms, trx) : null);
  }

  async function audit(actor: Actor, action: string, ruleId: number | null, before: unknown, after: unknown, trx: Trx) {
    await repos.auditLog.insert(
      actor.principal.tenantId,
      { userId: actor.principal.userId, action, entityType: 'inbound_rule', entityId: ruleId, before, after, ip: actor.ip, at: clock() },
      trx,
    );
  }

  /** 422 unless the target is an agent or group of this tenant (another tenant's looks the same as none). */
  async function assertTarget(tenantId: number, input: InboundRuleInput, trx: Trx): Promise<void> {
    if (input.target_type === 'split') return assertArmTargets(repos, tenantId, input.split ?? [], trx);
    const found =
      input.target_type === 'agent'
        ? await repos.voiceAgents.findById(tenantId, input.target_id!, trx)
        : await repos.agentGroups.findById(tenantId, input.target_id!, trx);
    if (!found) throw invalidFields({ target_id: [`no such ${input.target_type === 'agent' ? 'voice agent' : 'agent group'} in this tenant`] });
  }

  const changed = (tenantId: number, action: RealtimeRuleChange['action'], id: number | null) => {
    onChange?.(tenantId, { direction: 'inbound', action, id });
    return publishRulesChanged(plane, logger, tenantId);
  };

  async function list(tenantId: number, q: Partial<RuleListQuery>, trx: Trx = store.db): Promise<{ data: InboundRuleView[]; meta: PageMeta }> {
    const rows = evaluationOrder(await repos.inboundRules.list(tenantId, trx));
    return pageOfRules(await Promise.all(rows.map((row) => withArms(tenantId, row, trx))), q);
  }

  return {
    detail,
    list,

    async create(actor: Actor, input: InboundRuleInput): Promise<InboundRuleView> {
      const tenantId = actor.principal.tenantId;
      const now = clock();
      const created = await store.db.transaction().execute(async (trx) => {
        await repos.tenants.lock(tenantId, trx);
        await assertTarget(tenantId, input, trx);
        const id = await repos.inboundRules.insert(
          tenantId,
          { name: input.name, pattern: input.pattern, ...targetColumns(input), priority: input.priority, enabled: input.enabled ? 1 : 0, schedule: scheduleColumn(input.schedule), created_at: now, updated_at: now },
          trx,
        );
        const view = await detail(tenantId, id, trx);
        await audit(actor, 'inbound_rule.created', id, undefined, view, trx);
        return view;
      });
      await changed(tenantId, 'created', created.id);
      return created;
    },

    /** Merges the given fields into the rule and validates the result as a whole. */
    async update(actor: Actor, id: number, patch: UpdateInboundRuleInput): Promise<InboundRuleView> {
      const tenantId = actor.principal.tenantId;
      const after = await store.db.transaction().execute(async (trx) => {
        await repos.tenants.lock(tenantId, trx);
        const before = await detail(tenantId, id, trx);
        const merged = parseOrThrow(inboundRuleBody, {
          // `null` clears the name, so only an absent field keeps the stored one.
          name: patch.name !== undefined ? patch.name : before.name,
          pattern: patch.pattern ?? before.pattern,
          ...mergedTarget(patch, before),
          priority: patch.priority ?? before.priority,
          enabled: patch.enabled ?? before.enabled,
          schedule: patch.schedule !== undefined ? patch.schedule : before.schedule,
        });
        await assertTarget(tenantId, merged, trx);
        await repos.inboundRules.update(
          tenantId,
          id,
          { name: merged.name, pattern: merged.pattern, ...targetColumns(merged), priority: merged.priority, enabled: merged.enabled ? 1 : 0, schedule: scheduleColumn(merged.schedule), updated_at: clock() },
          trx,
        );
        const view = await detail(tenantId, id, trx);
        await audit(actor, 'inbound_rule.updated', id, before, view, trx);
        return view;
      });
      await changed(tenantId, 'updated', id);
      return after;
    },

    async delete(actor: Actor, id: number): Promise<void> {
      const tenantId = actor.principal.tenantId;
      await store.db.transaction().execute(async (trx) => {
        await repos.tenants.lock(tenantId, trx);
        const before = await detail(tenantId, id, trx);
        await repos.inboundRules.delete(tenantId, id, trx);
        await audit(actor, 'inbound_rule.deleted', id, before, undefined, trx);
      });
      await changed(tenantId, 'deleted', id);
    },

    /**
     * Sets `position` from the order of `ids`, which must be exactly the tenant's rules.
     * Priorities are kept: position orders rules only among equal priority and specificity,
     * so the returned list (in evaluation order) may differ from `ids`.
     */
    async reorder(actor: Actor, ids: readonly number[]): Promise<{ data: InboundRuleView[]; meta: PageMeta }> {
      const tenantId = actor.principal.tenantId;
      const result = await store.db.transaction().execute(async (trx) => {
        await repos.tenants.lock(tenantId, trx);
        const before = await list(tenantId, {}, trx);
        assertPermutation(ids, before.data.map((r) => r.id));
        await repos.inboundRules.reorder(tenantId, ids, trx);
        const after = await list(tenantId, {}, trx);
        await audit(actor, 'inbound_rule.reordered', null, { ids: before.data.map((r) => r.id) }, { ids: after.data.map((r) => r.id) }, trx);
        return after;
      });
      await changed(tenantId, 'reordered', null);
      return result;
    },

    /** The tenant's rules compiled and in evaluation order, for the routing engine; bad stored patterns are logged and left out. */
    async listCompiled(tenantId: number): Promise<readonly CompiledInboundRule[]> {
      const { rules, skipped } = compileInboundRules((await repos.inboundRules.list(tenantId)).map(toRule));
      for (const s of skipped) logger.warn({ tenantId, ruleId: s.id, field: s.field, reason: s.error }, 'inbound routing rule skipped: its stored pattern no longer compiles');
      return rules;
    },
  };
}
export type InboundRulesService = ReturnType<typeof createInboundRulesService>;
