import { notFound } from '../core/errors.js';
import type { Actor } from '../core/principal.js';
import { compilePattern } from '../core/routing/number-pattern.js';
import { compileOutboundRules, orderRules, type CompiledOutboundRule, type OutboundRule } from '../core/routing/order-rules.js';
import { trunksAttribute } from '../core/routing/trunks-attribute.js';
import {
  outboundRuleBody,
  type OutboundRuleInput,
  type OutboundRuleView,
  type RuleListQuery,
  type TrunkConfig,
  type UpdateOutboundRuleInput,
} from '../core/schemas/routing-rules.js';
import { parseOrThrow } from '../core/validation.js';
import type { RealtimeRuleChange } from '../core/schemas/realtime.js';
import type { Plane } from '../plane/plane.js';
import type { Store } from '../store/database.js';
import type { Repositories } from '../store/index.js';
import { readJson, writeJson } from '../store/json-column.js';
import type { OutboundRuleRow } from '../store/outbound-rules.js';
import type { Clock } from './clock.js';
import { assertPermutation, pageOfRules, publishRulesChanged } from './routing-rules-shared.js';
import type { Logger } from './logger.js';
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

/** The stored JSON, read defensively: a hand-edited or older row must not break listing. */
function readTrunkConfig(value: unknown): TrunkConfig {
  const raw = readJson<Partial<TrunkConfig> | null>(value, null);
  const trunks = Array.isArray(raw?.trunks) ? raw.trunks.filter((t): t is string | number => typeof t === 'string' || typeof t === 'number') : [];
  return { trunks, caller_id: typeof raw?.caller_id === 'string' ? raw.caller_id : null };
}

function toView(row: OutboundRuleRow): OutboundRuleView {
  const trunkConfig = readTrunkConfig(row.trunk_config);
  return {
    id: Number(row.id),
    name: row.name,
    caller_id: row.caller_id_pattern,
    destination_pattern: row.destination_pattern,
    trunk_config: trunkConfig,
    trunks_attribute: trunksAttribute(trunkConfig.trunks),
    priority: Number(row.priority),
    position: Number(row.position),
    enabled: Number(row.enabled) === 1,
    created_at: isoTime(row.created_at),
    updated_at: isoTime(row.updated_at),
  };
}

function toRule(row: OutboundRuleRow): OutboundRule {
  const trunkConfig = readTrunkConfig(row.trunk_config);
  return {
    id: Number(row.id),
    name: row.name,
    callerIdPattern: row.caller_id_pattern,
    destinationPattern: row.destination_pattern,
    trunks: trunkConfig.trunks,
    callerIdOverride: trunkConfig.caller_id,
    priority: Number(row.priority),
    position: Number(row.position),
    enabled: Number(row.enabled) === 1,
  };
}

/** Rows in evaluation order (specificity = caller ID's + destination's); uncompilable ones last within their priority. */
function evaluationOrder(rows: readonly OutboundRuleRow[]): OutboundRuleRow[] {
  const keyed = rows.map((row) => {
    const c = compilePattern(row.caller_id_pattern);
    const d = compilePattern(row.destination_pattern);
    const specificity = c.ok && d.ok ? c.pattern.specificity + d.pattern.specificity : -1;
    return { row, id: Number(row.id), priority: Number(row.priority), position: Number(row.position), specificity };
  });
  return orderRules(keyed).map((k) => k.row);
}

/**
 * Outbound routing rules: which trunks (and presented caller ID) carry a call an agent places,
 * chosen by the agent's caller ID and the destination. Writes take the tenant lock like the
 * inbound rules do, and announce the change so routing engines drop their compiled copy.
 */
export function createOutboundRulesService({ store, repos, plane, clock, logger, onChange }: Deps) {
  async function detail(tenantId: number, id: number, trx: Trx = store.db): Promise<OutboundRuleView> {
    const row = await repos.outboundRules.findById(tenantId, id, trx);
    if (!row) throw notFound('Outbound routing rule');
    return toView(row);
  }

  async function audit(actor: Actor, action: string, ruleId: number | null, before: unknown, after: unknown, trx: Trx) {
    await repos.auditLog.insert(
      actor.principal.tenantId,
      { userId: actor.principal.userId, action, entityType: 'outbound_rule', entityId: ruleId, before, after, ip: actor.ip, at: clock() },
      trx,
    );
  }

  const changed = (tenantId: number, action: RealtimeRuleChange['action'], id: number | null) => {
    onChange?.(tenantId, { direction: 'outbound', action, id });
    return publishRulesChanged(plane, logger, tenantId);
  };

  const columns = (input: OutboundRuleInput) => ({
    name: input.name,
    caller_id_pattern: input.caller_id,
    destination_pattern: input.destination_pattern,
    trunk_config: writeJson(input.trunk_config),
    priority: input.priority,
    enabled: input.enabled ? 1 : 0,
  });

  async function list(tenantId: number, q: Partial<RuleListQuery>, trx: Trx = store.db): Promise<{ data: OutboundRuleView[]; meta: PageMeta }> {
    return pageOfRules(evaluationOrder(await repos.outboundRules.list(tenantId, trx)).map(toView), q);
  }

  return {
    detail,
    list,

    async create(actor: Actor, input: OutboundRuleInput): Promise<OutboundRuleView> {
      const tenantId = actor.principal.tenantId;
      const now = clock();
      const created = await store.db.transaction().execute(async (trx) => {
        await repos.tenants.lock(tenantId, trx);
        const id = await repos.outboundRules.insert(tenantId, { ...columns(input), created_at: now, updated_at: now }, trx);
        const view = await detail(tenantId, id, trx);
        await audit(actor, 'outbound_rule.created', id, undefined, view, trx);
        return view;
      });
      await changed(tenantId, 'created', created.id);
      return created;
    },

    /** Merges the given fields (trunk_config field by field) into the rule and validates the result as a whole. */
    async update(actor: Actor, id: number, patch: UpdateOutboundRuleInput): Promise<OutboundRuleView> {
      const tenantId = actor.principal.tenantId;
      const after = await store.db.transaction().execute(async (trx) => {
        await repos.tenants.lock(tenantId, trx);
        const before = await detail(tenantId, id, trx);
        const merged = parseOrThrow(outboundRuleBody, {
          name: patch.name ?? before.name,
          caller_id: patch.caller_id ?? before.caller_id,
          destination_pattern: patch.destination_pattern ?? before.destination_pattern,
          trunk_config: { ...before.trunk_config, ...patch.trunk_config },
          priority: patch.priority ?? before.priority,
          enabled: patch.enabled ?? before.enabled,
        });
        await repos.outboundRules.update(tenantId, id, { ...columns(merged), updated_at: clock() }, trx);
        const view = await detail(tenantId, id, trx);
        await audit(actor, 'outbound_rule.updated', id, before, view, trx);
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
        await repos.outboundRules.delete(tenantId, id, trx);
        await audit(actor, 'outbound_rule.deleted', id, before, undefined, trx);
      });
      await changed(tenantId, 'deleted', id);
    },

    /** As for inbound rules: `ids` must be exactly the tenant's rules; priorities are kept, so position breaks ties only. */
    async reorder(actor: Actor, ids: readonly number[]): Promise<{ data: OutboundRuleView[]; meta: PageMeta }> {
      const tenantId = actor.principal.tenantId;
      const result = await store.db.transaction().execute(async (trx) => {
        await repos.tenants.lock(tenantId, trx);
        const before = await list(tenantId, {}, trx);
        assertPermutation(ids, before.data.map((r) => r.id));
        await repos.outboundRules.reorder(tenantId, ids, trx);
        const after = await list(tenantId, {}, trx);
        await audit(actor, 'outbound_rule.reordered', null, { ids: before.data.map((r) => r.id) }, { ids: after.data.map((r) => r.id) }, trx);
        return after;
      });
      await changed(tenantId, 'reordered', null);
      return result;
    },

    /** The tenant's rules compiled and in evaluation order, for the routing engine; bad stored patterns are logged and left out. */
    async listCompiled(tenantId: number): Promise<readonly CompiledOutboundRule[]> {
      const { rules, skipped } = compileOutboundRules((await repos.outboundRules.list(tenantId)).map(toRule));
      for (const s of skipped) logger.warn({ tenantId, ruleId: s.id, field: s.field, reason: s.error }, 'outbound routing rule skipped: its stored pattern no longer compiles');
      return rules;
    },
  };
}
export type OutboundRulesService = ReturnType<typeof createOutboundRulesService>;
