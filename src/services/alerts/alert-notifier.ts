import { signAlertBody } from '../../core/alerts/alert-signature.js';
import type { AlertView, TestAlertResult } from '../../core/schemas/alert.js';
import type { Plane } from '../../plane/plane.js';
import type { AccountMailer } from '../accounts/account-mail.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { AlertSettingsService } from './alert-settings.js';

const TEN_MINUTES = 10 * 60_000;
const ATTEMPTS = 4;
const ATTEMPT_TIMEOUT_MS = 5000;
/** Deliveries waiting or retrying in this process; past it new ones are dropped (and logged), so a dead receiver cannot grow memory. */
const MAX_PENDING = 200;

const sentKey = (tenantId: number) => `t:${tenantId}:alerts:sent`;
const droppedKey = (tenantId: number) => `t:${tenantId}:alerts:dropped`;

export type AlertEvent = 'alert.firing' | 'alert.resolved' | 'alert.test';

/** The JSON body of the outgoing webhook (docs/alerts.md). */
export interface AlertNotice {
  type: AlertEvent;
  tenant_id: number;
  alert: AlertView;
  /** Notifications dropped by the rate limit since the last one sent. */
  dropped_before: number;
  sent_at: string;
}

interface Deps {
  plane: Plane;
  clock: Clock;
  logger: Logger;
  settings: AlertSettingsService;
  mailer: AccountMailer;
  publicUrl: string | undefined;
  retryBaseMs: number;
}

const retryable = (status: number) => status >= 500 || status === 429 || status === 408;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

/**
 * Sends an alert's firing and its recovery to the tenant's webhook (HMAC-signed, retried with
 * backoff a bounded number of times) and its email recipients. At most
 * `max_notifications_per_10_minutes` per tenant across instances (counted in the plane); past
 * it, notifications are dropped and the next one sent says how many were.
 */
export function createAlertNotifier({ plane, clock, logger, settings, mailer, publicUrl, retryBaseMs }: Deps) {
  const pending = new Set<Promise<void>>();

  async function postWebhook(url: string, secret: string | null, body: string, event: AlertEvent, attempts: number): Promise<boolean> {
    for (let i = 0; i < attempts; i++) {
      if (i > 0) await sleep(retryBaseMs * 2 ** (i - 1));
      const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'voice-lb-alerts', 'x-vlb-event': event };
      if (secret) headers['x-vlb-signature'] = signAlertBody(secret, body, Math.floor(clock() / 1000));
      try {
        const res = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS) });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) return true;
        logger.warn({ status: res.status, attempt: i + 1, event }, 'alert webhook answered with an error');
        if (!retryable(res.status)) return false;
      } catch (err) {
        // The URL may hold a token: only the error's words are logged.
        logger.warn({ attempt: i + 1, event, error: err instanceof Error ? err.message : String(err) }, 'alert webhook could not be reached');
      }
    }
    return false;
  }

  function mailOf(notice: AlertNotice, to: string) {
    const a = notice.alert;
    const state = notice.type === 'alert.resolved' ? 'Resolved' : notice.type === 'alert.test' ? 'Test' : 'Firing';
    const lines = [a.message, '', `Alert: ${a.label}${a.subject_name ? ` (${a.subject_name})` : ''}`, `Fired: ${a.fired_at}`];
    if (a.resolved_at) lines.push(`Resolved: ${a.resolved_at}`);
    if (notice.dropped_before > 0) lines.push('', `${notice.dropped_before} earlier notifications were not sent (rate limit).`);
    if (publicUrl) lines.push('', `Open: ${publicUrl}/alerts`);
    return { to, subject: `[Voice LB] ${state}: ${a.label}${a.subject_name ? ` — ${a.subject_name}` : ''}`, text: lines.join('\n') };
  }

  async function deliver(tenantId: number, event: AlertEvent, alert: AlertView, limited: boolean, attempts: number): Promise<TestAlertResult> {
    const { settings: s, signingSecret } = await settings.read(tenantId);
    if (!s.webhook_url && s.email_recipients.length === 0) return { webhook: 'not_configured', email: 'not_configured' };
    let dropped = 0;
    if (limited) {
      const now = clock();
      await plane.windowAdd(sentKey(tenantId), now, 60_000, TEN_MINUTES + 60_000);
      const [sent = 0] = await plane.windowCounts([sentKey(tenantId)], now - TEN_MINUTES + 1, now, 60_000);
      if (sent > s.max_notifications_per_10_minutes) {
        await plane.incr(droppedKey(tenantId));
        logger.warn({ tenantId, alertId: alert.id, event }, 'alert notification dropped: rate limit');
        return { webhook: 'failed', email: 'failed' };
      }
      dropped = await plane.peekCounter(droppedKey(tenantId));
      if (dropped > 0) await plane.resetCounter(droppedKey(tenantId));
    }
    const notice: AlertNotice = { type: event, tenant_id: tenantId, alert, dropped_before: dropped, sent_at: new Date(clock()).toISOString() };
    type Outcome = TestAlertResult['webhook'];
    const outcome = (ok: boolean): Outcome => (ok ? 'sent' : 'failed');
    const [webhook, email] = await Promise.all<[Promise<Outcome> | Outcome, Promise<Outcome> | Outcome]>([
      s.webhook_url ? postWebhook(s.webhook_url, signingSecret, JSON.stringify(notice), event, attempts).then(outcome) : 'not_configured',
      s.email_recipients.length > 0 && mailer.enabled
        ? Promise.all(s.email_recipients.map((to) => mailer.send(mailOf(notice, to)))).then((oks) => outcome(oks.every(Boolean)))
        : 'not_configured',
    ]);
    return { webhook, email };
  }

  return {
    /** Sends in the background: the caller (an evaluation, a health change) never waits for a receiver. */
    notify(tenantId: number, event: 'alert.firing' | 'alert.resolved', alert: AlertView): void {
      if (pending.size >= MAX_PENDING) {
        logger.warn({ tenantId, alertId: alert.id }, 'alert notification dropped: too many deliveries pending');
        return;
      }
      const p: Promise<void> = deliver(tenantId, event, alert, true, ATTEMPTS)
        .then(() => undefined)
        .catch((err: unknown) => logger.warn({ err, tenantId, alertId: alert.id }, 'could not send an alert notification'))
        .finally(() => pending.delete(p));
      pending.add(p);
    },
    /** A test alert, sent now (one attempt, not rate limited), with what happened. */
    sendTest: (tenantId: number, alert: AlertView): Promise<TestAlertResult> => deliver(tenantId, 'alert.test', alert, false, 1),
    /** Resolves when every delivery started so far has finished (tests, shutdown). */
    async idle(): Promise<void> {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
export type AlertNotifier = ReturnType<typeof createAlertNotifier>;
