import { createHash } from 'node:crypto';
import type { Actor } from '../core/principal.js';
import { normalizeDigits } from '../core/routing/phone-number.js';
import { PHONE_NUMBER_TEXT, type EraseNumberInput, type ErasureResult } from '../core/schemas/audit.js';
import type { Store } from '../store/database.js';
import type { Repositories } from '../store/index.js';
import { writeJson } from '../store/json-column.js';
import { createPrivacyStore } from '../store/privacy.js';
import type { Clock } from './clock.js';

interface Deps {
  store: Store;
  repos: Repositories;
  clock: Clock;
  /** The installation key: the erasure salt is derived from it, so tokens cannot be reversed by trying numbers. */
  appKey: Buffer;
  /** Rows rewritten per transaction. */
  batchSize?: number;
}

/**
 * `erased:` and 8 hex characters of sha256(salt + digits). The same number gives the
 * same token, so counts and grouping by number still work after erasure. The salt
 * is secret (from APP_KEY) but independent of any tenant secret, which may rotate.
 */
export function erasedToken(salt: Buffer, digits: string): string {
  return `erased:${createHash('sha256').update(salt).update(digits).digest('hex').slice(0, 8)}`;
}

/** Last two digits only, for the audit log: enough to tell two erasures apart, not to rebuild the number. */
export function maskDigits(digits: string): string {
  return `${'*'.repeat(Math.max(0, digits.length - 2))}${digits.slice(-2)}`;
}

/** Replaces the number in columns, text and JSON trees; `take()` says whether anything was replaced since it was last asked. */
export function createScrubber(digits: string, token: string) {
  // Inside longer text only a full number is replaced (a bare 3-digit code would hit unrelated values).
  const inline = digits.length >= 7 ? new RegExp(`(?<!\\d)(?:\\+|%2B)?${digits}(?!\\d)`, 'gi') : null;
  let changed = false;
  const text = (value: string): string => {
    if (PHONE_NUMBER_TEXT.test(value) && normalizeDigits(value) === digits) {
      changed = true;
      return token;
    }
    if (inline && inline.test(value)) {
      changed = true;
      inline.lastIndex = 0;
      return value.replace(inline, token);
    }
    return value;
  };
  const tree = (value: unknown): unknown => {
    if (typeof value === 'string') return text(value);
    if (Array.isArray(value)) return value.map(tree);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, tree(v)]));
    return value;
  };
  /** A from/to column: replaced when its digits are the number's, whatever the formatting. */
  const column = (value: string | null): string | null => {
    if (value === null || normalizeDigits(value) !== digits) return value;
    changed = true;
    return token;
  };
  /** A stored JSON column (text, or parsed jsonb); text that is not JSON is scrubbed as text, never dropped. */
  const json = (value: unknown): string => {
    if (typeof value !== 'string') return writeJson(tree(value));
    try {
      return writeJson(tree(JSON.parse(value)));
    } catch {
      return text(value);
    }
  };
  return {
    text,
    json,
    column,
    /** True when something was replaced since the last call; resets. */
    take(): boolean {
      const was = changed;
      changed = false;
      return was;
    },
  };
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Erasure of a caller's phone number from a tenant's call data, on request (privacy law). */
export function createPrivacyService({ store, repos, clock, appKey, batchSize = 200 }: Deps) {
  const rows = createPrivacyStore(store);
  const salt = createHash('sha256').update('voice-lb privacy erasure salt').update(appKey).digest();

  /**
   * Pages through candidates and rewrites those that really hold the number, one
   * transaction per page: a large erasure never holds the database for long, and a
   * retry after a failure finishes the job (erased rows no longer match).
   */
  async function rewrite<R extends { id: number }>(
    candidates: (afterId: number) => Promise<R[]>,
    apply: (row: R) => ((trx: Store['db']) => Promise<void>) | null,
  ): Promise<number> {
    let afterId = 0;
    let count = 0;
    for (;;) {
      const page = await candidates(afterId);
      if (page.length === 0) break;
      afterId = Number(page[page.length - 1]!.id);
      const writes = page.map(apply).filter((w) => w !== null);
      if (writes.length > 0) {
        await store.db.transaction().execute(async (trx) => {
          for (const write of writes) await write(trx);
        });
      }
      count += writes.length;
      if (page.length < batchSize) break;
      await yieldToEventLoop();
    }
    return count;
  }

  return {
    async eraseNumber(actor: Actor, input: EraseNumberInput): Promise<ErasureResult> {
      const tenantId = actor.principal.tenantId;
      const digits = normalizeDigits(input.number);
      const token = erasedToken(salt, digits);
      const s = createScrubber(digits, token);
      const q = (afterId: number) => ({ digits, afterId, limit: batchSize });
      const now = clock();

      const callRecords = await rewrite(
        (afterId) => rows.callRecordCandidates(tenantId, q(afterId)),
        (r) => {
          const from_number = s.column(r.from_number);
          const to_number = s.column(r.to_number);
          // Only calls from or to the number; their trace (outbound destination) is scrubbed with them.
          if (!s.take()) return null;
          const decision_trace = r.decision_trace === null ? null : s.json(r.decision_trace);
          s.take();
          return (trx) => rows.updateCallRecord(tenantId, Number(r.id), { from_number, to_number, decision_trace, updated_at: now }, trx);
        },
      );
      const cdrs = await rewrite(
        (afterId) => rows.cdrCandidates(tenantId, q(afterId)),
        (r) => {
          const values = { from_number: s.column(r.from_number), to_number: s.column(r.to_number), payload: s.json(r.payload) };
          return s.take() ? (trx) => rows.updateCdr(tenantId, Number(r.id), values, trx) : null;
        },
      );
      const webhookAudit = await rewrite(
        (afterId) => rows.webhookAuditCandidates(tenantId, q(afterId)),
        (r) => {
          const values = { path: s.text(r.path), payload: r.payload === null ? null : s.json(r.payload) };
          return s.take() ? (trx) => rows.updateWebhookAudit(tenantId, Number(r.id), values, trx) : null;
        },
      );

      const result: ErasureResult = { replaced_with: token, call_records: callRecords, cdrs, webhook_audit: webhookAudit };
      await repos.auditLog.insert(tenantId, {
        userId: actor.principal.userId,
        action: 'privacy.number_erased',
        entityType: 'privacy',
        entityId: null,
        after: { number: maskDigits(digits), ...result },
        ip: actor.ip,
        at: clock(),
      });
      return result;
    },
  };
}
export type PrivacyService = ReturnType<typeof createPrivacyService>;
