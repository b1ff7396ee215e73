import { describe, expect, it } from 'vitest';
import { REJECTION_AUDIT_SAMPLES } from '../../src/core/webhook-rejection.js';
import { createMemoryPlane } from '../../src/plane/memory-plane.js';
import type { Plane } from '../../src/plane/plane.js';
import { createLogger } from '../../src/services/logger.js';
import type { WebhookAuditEntry } from '../../src/services/routing/webhook-audit-writer.js';
import { createWebhookRejections, type Rejection } from '../../src/services/routing/webhook-rejections.js';
import { Writable } from 'node:stream';

const T0 = Date.UTC(2026, 10, 24, 9, 0, 0);

/** A plane whose counters fail as an unreachable Redis would, while everything else works. */
function unreachable(): Plane {
  const plane = createMemoryPlane();
  const fail = async () => {
    throw new Error('connect ECONNREFUSED');
  };
  return { ...plane, windowAdd: fail, windowCounts: fail };
}

function harness(plane: Plane) {
  let now = T0;
  const rows: { entry: WebhookAuditEntry; at: number }[] = [];
  const logs: string[] = [];
  const logger = createLogger('info', new Writable({ write: (chunk: Buffer, _e, done) => (logs.push(chunk.toString()), done()) }));
  const rejections = createWebhookRejections({
    plane,
    writeAudit: (entry, at) => rows.push({ entry, at }),
    limits: { perSourcePerMinute: 3, perTenantPerMinute: 100, ...REJECTION_AUDIT_SAMPLES },
    clock: () => now,
    logger,
  });
  const refusal = (source: string, over: Partial<Rejection> = {}): Rejection => ({
    source, tenantId: 7, outcome: 'unauthorized', eventType: 'cdr', method: 'POST', path: '/api/voice/session/cdr/x?token=********', statusCode: 401, ...over,
  });
  return { rejections, rows, logs, refusal, advance: (ms: number) => (now += ms) };
}

describe('webhook rejections', () => {
  it('keep limiting on this instance when the plane cannot count, and say so once', async () => {
    const h = harness(unreachable());
    const verdicts = [];
    for (let i = 0; i < 5; i++) verdicts.push(await h.rejections.note(h.refusal('203.0.113.9')));
    expect(verdicts.map((v) => v.limited)).toEqual([false, false, false, true, true]);
    expect(verdicts[3]!.retryAfterSeconds).toBe(60);
    expect(h.logs.filter((l) => l.includes('counting refused webhooks on this instance only')).length).toBe(1);
    await h.rejections.close();
  });

  it('write one summary row per tenant, webhook type and minute for what they did not store', async () => {
    const h = harness(createMemoryPlane());
    for (let i = 0; i < 12; i++) await h.rejections.note(h.refusal(`198.51.100.${i % 2}`));
    await h.rejections.note(h.refusal('198.51.100.1', { eventType: 'session_update', tenantId: null, outcome: 'unknown_tenant', statusCode: 404 }));
    h.advance(60_000);
    await h.rejections.close();
    // 5 stored per source: 1 + 1 of the 12 are counted, and the unknown domain's (its source's 7th).
    expect(h.rows.map((r) => [r.entry.tenant_id, r.entry.event_type, r.entry.outcome, r.entry.status_code])).toEqual([
      [7, 'cdr', 'suppressed', 429],
      [null, 'session_update', 'suppressed', 429],
    ]);
    expect(h.rows[0]!.entry.error).toBe('2 refused requests (unauthorized ×2) from 2 addresses in this minute counted, not stored one by one.');
    expect(JSON.parse(String(h.rows[0]!.entry.payload))).toMatchObject({ suppressed: 2, sources: { '198.51.100.0': 1, '198.51.100.1': 1 }, status_codes: { 429: 2 } });
    expect(h.rows[0]!.at).toBe(T0);
  });

  it('count each minute apart: a new minute stores its first few again', async () => {
    const h = harness(createMemoryPlane());
    for (let i = 0; i < 7; i++) await h.rejections.note(h.refusal('192.0.2.1'));
    h.advance(60_000);
    for (let i = 0; i < 7; i++) await h.rejections.note(h.refusal('192.0.2.1'));
    await h.rejections.close();
    expect(h.rows.map((r) => JSON.parse(String(r.entry.payload)).suppressed)).toEqual([2, 2]);
  });
});
