import { alertConditions, alertMessage, type AlertCondition } from '../../core/alerts/alert-conditions.js';
import { notFound } from '../../core/errors.js';
import { alertKindLabels, alertKinds, type AlertCounts, type AlertKind, type AlertQuery, type AlertSettings, type AlertView, type TestAlertResult } from '../../core/schemas/alert.js';
import type { Actor } from '../../core/principal.js';
import type { SecretBox } from '../../core/secret-box.js';
import type { Plane } from '../../plane/plane.js';
import { openKey, type AlertRow } from '../../store/alerts.js';
import { readJson } from '../../store/json-column.js';
import type { Repositories } from '../../store/index.js';
import type { AccountMailer } from '../accounts/account-mail.js';
import type { AgentHealth } from '../agent-health.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { OccupancyService } from '../occupancy-service.js';
import { isoTime, pageMeta } from '../views.js';
import { createAlertNotifier } from './alert-notifier.js';
import { createAlertObserver } from './alert-observer.js';
import { createAlertSettings, settingsOf } from './alert-settings.js';

interface Deps {
  repos: Repositories;
  plane: Plane;
  clock: Clock;
  logger: Logger;
  secretBox: SecretBox;
  mailer: AccountMailer;
  agentHealth: AgentHealth;
  occupancy: OccupancyService;
  publicUrl: string | undefined;
  config: { evaluateSeconds: number; retryBaseMs: number };
}

const isKind = (k: string): k is AlertKind => (alertKinds as readonly string[]).includes(k);
/** Kinds whose subject is an agent, or a provider pool (named in views and notifications). */
const agentKinds: ReadonlySet<AlertKind> = new Set(['agent_down', 'agent_at_cap']);
const poolKinds: ReadonlySet<AlertKind> = new Set(['pool_at_cap']);

interface Names {
  agents: ReadonlyMap<number, string>;
  pools: ReadonlyMap<number, string>;
}

/**
 * Alerts: each condition (core/alerts/alert-conditions.ts) opens one alert per kind and
 * subject, notified once, and resolves it once, notified again. Agent health changes act at
 * once; everything else (and a cooldown that simply ran out) is found by a periodic
 * evaluation of each tenant, one instance at a time per tenant (a plane lock). Two instances
 * seeing the same condition anyway are harmless: the database keeps one open alert per kind
 * and subject, and only the instance whose write opened or resolved it notifies.
 */
export function createAlertsService(deps: Deps) {
  const { repos, plane, clock, logger } = deps;
  const settings = createAlertSettings(deps);
  const notifier = createAlertNotifier({ ...deps, settings, retryBaseMs: deps.config.retryBaseMs });
  const observer = createAlertObserver(deps);
  /** Health changes being recorded, so `idle()` also waits for the notifications they start. */
  const changes = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  async function subjectNames(tenantId: number): Promise<Names> {
    const [agents, pools] = await Promise.all([repos.voiceAgents.listAll(tenantId), repos.providerPools.listAll(tenantId)]);
    return { agents: new Map(agents.map((a) => [Number(a.id), a.name])), pools: new Map(pools.map((p) => [Number(p.id), p.name])) };
  }

  function subjectName(kind: AlertKind, id: number | null, names: Names): string | null {
    if (id === null) return null;
    if (agentKinds.has(kind)) return names.agents.get(id) ?? `Deleted agent #${id}`;
    if (poolKinds.has(kind)) return names.pools.get(id) ?? `Deleted pool #${id}`;
    return null;
  }

  function toView(row: AlertRow, names: Names): AlertView {
    const kind = isKind(row.kind) ? row.kind : 'webhook_errors';
    const subjectId = row.subject_id === null ? null : Number(row.subject_id);
    const name = subjectName(kind, subjectId, names);
    const details = readJson<Record<string, unknown>>(row.details, {});
    const firing = row.state === 'firing';
    return {
      id: Number(row.id),
      kind,
      label: alertKindLabels[kind],
      subject_id: subjectId,
      subject_name: name,
      state: firing ? 'firing' : 'resolved',
      message: alertMessage(kind, firing, name, details),
      details,
      fired_at: isoTime(Number(row.fired_at)),
      resolved_at: isoTime(row.resolved_at === null ? null : Number(row.resolved_at)),
      acknowledged_at: isoTime(row.acknowledged_at === null ? null : Number(row.acknowledged_at)),
      acknowledged_by: row.acknowledged_by === null ? null : Number(row.acknowledged_by),
    };
  }

  async function fire(tenantId: number, c: AlertCondition, now: number): Promise<boolean> {
    const id = await repos.alerts.open(tenantId, c.kind, c.subjectId, { ...c.details }, now);
    if (id === undefined) return false;
    const row = await repos.alerts.findById(tenantId, id);
    if (!row) return false;
    logger.info({ tenantId, alertId: id, kind: c.kind, subjectId: c.subjectId }, 'alert firing');
    notifier.notify(tenantId, 'alert.firing', toView(row, await subjectNames(tenantId)));
    return true;
  }

  async function resolve(tenantId: number, kind: AlertKind, subjectId: number | null, now: number): Promise<boolean> {
    const row = await repos.alerts.resolve(tenantId, kind, subjectId, now);
    if (!row) return false;
    logger.info({ tenantId, alertId: Number(row.id), kind, subjectId }, 'alert resolved');
    notifier.notify(tenantId, 'alert.resolved', toView(row, await subjectNames(tenantId)));
    return true;
  }

  /** Opens what holds and is not open, resolves what is open and no longer holds. */
  async function evaluateWith(tenantId: number, s: AlertSettings): Promise<void> {
    if (!s.enabled) return;
    const now = clock();
    const conditions = alertConditions(await observer.observe(tenantId, s, now), s);
    const open = await repos.alerts.listOpen(tenantId);
    const openKeys = new Set(open.map((r) => openKey(r.kind, r.subject_id === null ? null : Number(r.subject_id))));
    const holding = new Set(conditions.map((c) => openKey(c.kind, c.subjectId)));
    for (const c of conditions) if (!openKeys.has(openKey(c.kind, c.subjectId))) await fire(tenantId, c, now);
    for (const r of open) {
      const subjectId = r.subject_id === null ? null : Number(r.subject_id);
      if (isKind(r.kind) && !holding.has(openKey(r.kind, subjectId))) await resolve(tenantId, r.kind, subjectId, now);
    }
  }

  /** One tenant, unless another instance is evaluating it right now. */
  async function evaluateLocked(tenantId: number, s: AlertSettings): Promise<void> {
    const lockKey = `t:${tenantId}:alerts:evaluate`;
    const token = await plane.tryLock(lockKey, 30_000);
    if (token === null) return;
    try {
      await evaluateWith(tenantId, s);
    } finally {
      await plane.unlock(lockKey, token);
    }
  }

  async function evaluateAll(): Promise<void> {
    const [tenants, rows] = await Promise.all([repos.tenants.listAll(), repos.alerts.allSettings()]);
    const byTenant = new Map(rows.map((r) => [Number(r.tenant_id), r]));
    for (const t of tenants) {
      const tenantId = Number(t.id);
      try {
        await evaluateLocked(tenantId, settingsOf(byTenant.get(tenantId)));
      } catch (err) {
        logger.warn({ err, tenantId }, 'could not evaluate alerts');
      }
    }
  }

  return {
    settings,
    /** An agent left rotation (healthy false) or came back early (true): its alert fires or resolves now. */
    healthChanged(tenantId: number, agentId: number, healthy: boolean, reason?: string): void {
      const p: Promise<void> = (async () => {
        const s = settingsOf(await repos.alerts.settings(tenantId));
        if (!s.enabled) return;
        const now = clock();
        if (healthy) await resolve(tenantId, 'agent_down', agentId, now);
        else await fire(tenantId, { kind: 'agent_down', subjectId: agentId, details: reason ? { reason } : {} }, now);
      })()
        .catch((err: unknown) => logger.warn({ err, tenantId, agentId }, 'could not record an agent health alert'))
        .finally(() => changes.delete(p));
      changes.add(p);
    },
    /** Evaluates one tenant now (tests move the injected clock and call this). */
    async evaluate(tenantId: number): Promise<void> {
      await evaluateLocked(tenantId, settingsOf(await repos.alerts.settings(tenantId)));
    },
    evaluateAll,
    async list(tenantId: number, q: AlertQuery): Promise<{ data: AlertView[]; meta: ReturnType<typeof pageMeta> }> {
      const [{ rows, total }, names] = await Promise.all([repos.alerts.list(tenantId, { page: q.page, perPage: q.per_page, state: q.state, kind: q.kind }), subjectNames(tenantId)]);
      return { data: rows.map((r) => toView(r, names)), meta: pageMeta(q.page, q.per_page, total) };
    },
    counts: (tenantId: number): Promise<AlertCounts> => repos.alerts.counts(tenantId),
    async acknowledge(actor: Actor, id: number): Promise<AlertView> {
      const { tenantId, userId } = actor.principal;
      const row = await repos.alerts.findById(tenantId, id);
      if (!row) throw notFound('Alert');
      const now = clock();
      if (await repos.alerts.acknowledge(tenantId, id, userId, now)) {
        await repos.auditLog.insert(tenantId, { userId, action: 'alert.acknowledged', entityType: 'alert', entityId: id, before: null, after: { kind: row.kind, subject_id: row.subject_id }, ip: actor.ip, at: now });
      }
      const after = await repos.alerts.findById(tenantId, id);
      return toView(after ?? row, await subjectNames(tenantId));
    },
    /** Sends a made-up alert to the configured webhook and recipients, and says what happened. */
    sendTest(tenantId: number): Promise<TestAlertResult> {
      const now = isoTime(clock());
      return notifier.sendTest(tenantId, {
        id: 0,
        kind: 'webhook_errors',
        label: 'Test alert',
        subject_id: null,
        subject_name: null,
        state: 'firing',
        message: 'This is a test alert from Voice LB: notifications reach you.',
        details: { test: true },
        fired_at: now,
        resolved_at: null,
        acknowledged_at: null,
        acknowledged_by: null,
      });
    },
    /** Resolves when notifications started so far are delivered or given up. */
    async idle(): Promise<void> {
      while (changes.size > 0) await Promise.allSettled([...changes]);
      await notifier.idle();
    },
    start(): void {
      if (deps.config.evaluateSeconds <= 0 || timer) return;
      timer = setInterval(() => {
        if (running) return;
        running = evaluateAll().finally(() => (running = undefined));
      }, deps.config.evaluateSeconds * 1000);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      // Deliveries still retrying are not awaited: the shutdown has a bound, and a lost notification is logged.
      await running;
    },
  };
}
export type AlertsService = ReturnType<typeof createAlertsService>;
