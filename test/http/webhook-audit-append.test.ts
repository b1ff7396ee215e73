import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskSecrets } from '../../src/core/mask.js';
import { stringifyWellFormed } from '../../src/core/well-formed-json.js';
import type { WebhookAuditListResponse } from '../../src/http/webhook-audit.js';
import { DIALECTS } from '../support/backends.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { newSession, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The audit row is appended more cheaply since issue 23 (one masking walk that copies only
 * what it masks; the payload handed to the SQLite writer beside the batch, not inside its
 * JSON): the audit view shows, for the same webhooks, exactly what the deep copy stored.
 */
const shownBefore = (query: Record<string, unknown>, body: unknown): unknown =>
  maskSecrets(JSON.parse(stringifyWellFormed({ query: maskSecrets(query), body: maskSecrets(body) })) as unknown);

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: webhook audit rows after the cheaper append`, () => {
    let t: TestApp;
    let a: TenantActors;
    let secret: string;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      a = await registerTenant(t, 'audit-append');
      secret = await webhookSecret(t, a.admin.token);
    });
    afterAll(async () => t?.close());

    it('each webhook, accepted or refused, shows the payload it showed before, with every secret hidden', async () => {
      const s = newSession();
      const voice = voiceBody(a.domain, s, { Extra: { api_key: 'body-api-key', list: [{ password: 'body-pass' }, 'plain'] } });
      const update = { eventId: `${s}-1`, token: s, status: 'connected', callAnswerTime: Date.now(), profile: { Authorization: 'Bearer in-body' }, note: 'caf\u00e9 \u2603' };
      const cdr = { disposition: 'ANSWER', duration: 42, billsec: 40, session: { token: s, profile: {} }, credentials: { user: 'u-cred', pass: 'p-cred' } };
      const sent: { url: string; query: Record<string, unknown>; body: unknown; status: number }[] = [
        { url: `/api/voice/application/${a.domain}?token=${secret}&Note=x`, query: { token: secret, Note: 'x' }, body: voice, status: 200 },
        { url: `/api/voice/session/update/${a.domain}?token=${secret}`, query: { token: secret }, body: update, status: 200 },
        { url: `/api/voice/session/cdr/${a.domain}?token=${secret}`, query: { token: secret }, body: cdr, status: 200 },
        // Refused (wrong secret): a sampled row, its payload cut to 1 KiB as before.
        { url: `/api/voice/application/${a.domain}?token=not-the-secret`, query: { token: 'not-the-secret' }, body: voiceBody(a.domain, s), status: 401 },
      ];
      for (const w of sent) expect((await t.request({ method: 'POST', url: w.url, payload: w.body as Record<string, unknown> })).statusCode).toBe(w.status);

      let rows: WebhookAuditListResponse['data'] = [];
      for (let i = 0; i < 50 && rows.length < sent.length; i++) {
        const res = await t.request({ method: 'GET', url: `/api/webhook-audit?per_page=100&include_rejected=true&session_token=${s}`, token: a.analyst.token });
        rows = res.json<WebhookAuditListResponse>().data;
        if (rows.length < sent.length) await new Promise((r) => setTimeout(r, 100));
      }
      expect(rows).toHaveLength(sent.length);
      const byPath = (path: string) => rows.filter((r) => r.path === path);
      const masked = (url: string) => url.replace(/token=[^&]*/, 'token=********');
      for (const w of sent) {
        const [row] = byPath(masked(w.url)).filter((r) => r.status_code === w.status);
        expect(row, w.url).toBeDefined();
        expect(row!.payload).toEqual(shownBefore(w.query, w.body));
      }
      const everything = JSON.stringify(rows);
      for (const hidden of [secret, 'not-the-secret', 'body-api-key', 'body-pass', 'Bearer in-body', 'u-cred', 'p-cred']) expect(everything).not.toContain(hidden);
      expect(everything).toContain('caf\u00e9 \u2603');
    });
  });
}
