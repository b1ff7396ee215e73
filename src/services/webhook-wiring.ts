import { CDR_GRACE_MS, SESSION_GRACE_MS, WIRING_LOOK_BACK_MS, wiringProblems } from '../core/lifecycle/webhook-wiring.js';
import type { WebhookWiringView } from '../core/schemas/tenant.js';
import type { Repositories } from '../store/index.js';
import type { Clock } from './clock.js';
import { isoTime } from './views.js';

/**
 * Per tenant: when each Cloudonix webhook was last accepted, and which endpoint
 * seems missing from the domain's settings (core/lifecycle/webhook-wiring.ts).
 * Read from the webhook audit, so it needs no write of its own on the hot path.
 */
export function createWebhookWiring(repos: Repositories, clock: Clock) {
  return {
    async check(tenantId: number, maxCallMinutes: number): Promise<WebhookWiringView> {
      const now = clock();
      const from = now - WIRING_LOOK_BACK_MS;
      const last = (type: string, before = now + 1) => repos.webhookAudit.lastAccepted(tenantId, type, from, before);
      // Only asked when the last day has none: the type index answers it with one row.
      const ever = async (type: string, recent: number | null) => recent !== null || (await repos.webhookAudit.lastAccepted(tenantId, type, 0, now + 1)) !== null;
      const [voice, voiceSettled, voiceOverMaxLength, dialEndedBefore, lastSessionUpdate, lastCdr] = await Promise.all([
        last('voice_application'),
        last('voice_application', now - SESSION_GRACE_MS),
        last('voice_application', now - maxCallMinutes * 60_000),
        last('dial_callback', now - CDR_GRACE_MS),
        last('session_update'),
        last('cdr'),
      ]);
      const [voiceEver, sessionEver, cdrEver] = await Promise.all([ever('voice_application', voice), ever('session_update', lastSessionUpdate), ever('cdr', lastCdr)]);
      return {
        voice_application_at: isoTime(voice),
        session_update_at: isoTime(lastSessionUpdate),
        cdr_at: isoTime(lastCdr),
        received_ever: { voice_application: voiceEver, session_update: sessionEver, cdr: cdrEver },
        problems: wiringProblems({ voiceSettled, voiceOverMaxLength, dialEndedBefore, lastSessionUpdate, lastCdr }),
      };
    },
  };
}
export type WebhookWiring = ReturnType<typeof createWebhookWiring>;
