import { createHmac } from 'node:crypto';
import { secretsEqual } from '../constant-time.js';

/**
 * The outgoing alert webhook's signature: HMAC-SHA256 with the tenant's signing secret
 * over `<unix seconds>.<body>`, sent as `X-VLB-Signature: t=<unix seconds>,v1=<hex>`.
 * The time inside the signed text lets a receiver refuse replays (docs/alerts.md).
 */
export const ALERT_SIGNATURE_HEADER = 'x-vlb-signature';

export function signAlertBody(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** True when `header` signs `body` with `secret` at most `toleranceSeconds` from `nowSeconds`. */
export function verifyAlertSignature(secret: string, body: string, header: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const parts = new Map(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1');
  if (!Number.isInteger(t) || !v1 || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  return secretsEqual(`t=${t},v1=${v1}`, signAlertBody(secret, body, t));
}
