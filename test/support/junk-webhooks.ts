import fc from 'fast-check';
import { sql } from 'kysely';
import type { DialectName } from '../../src/store/dialect.js';
import type { TestApp } from './test-app.js';

/** One request of a flood anyone can send: no secret, or a wrong one, or a domain no tenant has. */
export interface JunkWebhook {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  payload?: string;
  remoteAddress: string;
}

const routes = ['application', 'callback', 'session/update', 'session/cdr'] as const;

/** Bodies of every kind: JSON of any shape, big ones, binary, form pairs, lone surrogates, truncated JSON. */
const junkBody = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: fc.dictionary(fc.string({ maxLength: 20 }), fc.string({ maxLength: 200 }), { maxKeys: 12 }).map((d) => JSON.stringify(d)) },
  // Up to 40 KB: the old audit kept anything up to 16 KB whole.
  { weight: 2, arbitrary: fc.integer({ min: 2_000, max: 40_000 }).map((n) => JSON.stringify({ From: '+14155550123', pad: 'x'.repeat(n) })) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3000 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('From', 'To', 'Session', 'token', 'status'), fc.string({ maxLength: 100 })).map((d) => new URLSearchParams(d).toString()) },
  { weight: 1, arbitrary: fc.constantFrom('{"Session":"\\ud800","From":"\\udfff"}', '{"\\ud83d":1}', '{"token":"abc"', '[[[[', '') },
);

const label = fc.stringMatching(/^[a-z][a-z0-9]{2,12}$/);
const ipv4 = fc.tuple(fc.integer({ min: 1, max: 223 }), fc.nat(255), fc.nat(255), fc.integer({ min: 1, max: 254 })).map((p) => p.join('.'));
const ipv6 = fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }).map((g) => g.map((n) => n.toString(16)).join(':'));

/**
 * `count` junk webhooks at a tenant (wrong or missing secrets) and at unknown domains,
 * from a few busy addresses and from many one-off ones (IPv4 and IPv6), seeded.
 */
export function junkWebhooks(tenantDomain: string, count: number, seed = 17): JunkWebhook[] {
  const junk = fc.record({
    route: fc.constantFrom(...routes),
    target: fc.oneof(fc.constant(tenantDomain), label.map((l) => `${l}.example.net`)),
    secret: fc.oneof(fc.constant(null), fc.string({ minLength: 1, maxLength: 60 }).map((s) => `cxlb_${s}`)),
    secretIn: fc.constantFrom('query', 'bearer', 'x-cx-apikey'),
    body: junkBody,
    get: fc.boolean(),
    source: fc.oneof(fc.constantFrom('198.51.100.7', '198.51.100.8', '2001:db8:1:2::7'), ipv4, ipv6),
  });
  return fc.sample(junk, { numRuns: count, seed }).map((j) => {
    const voice = j.route === 'application' || j.route === 'callback';
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    let query = '';
    if (j.secret !== null && j.secretIn === 'query') query = `?token=${encodeURIComponent(j.secret)}`;
    if (j.secret !== null && j.secretIn === 'bearer') headers.authorization = `Bearer ${j.secret.replace(/[^\x21-\x7e]/g, '')}`;
    if (j.secret !== null && j.secretIn === 'x-cx-apikey') headers['x-cx-apikey'] = j.secret.replace(/[^\x21-\x7e]/g, '');
    const url = `/api/voice/${j.route}/${j.target}${query}`;
    if (voice && j.get) return { method: 'GET', url, headers: {}, remoteAddress: j.source };
    return { method: 'POST', url, headers, payload: j.body, remoteAddress: j.source };
  });
}

/** What the webhook audit holds above `afterId`: rows and the bytes of their values, plus the table's size on disk. */
export interface AuditFootprint {
  maxId: number;
  rows: number;
  bytes: number;
  /** The table (SQLite: the whole file) as the database reports its size; null where it cannot say. */
  storedBytes: number | null;
}

// PostgreSQL hands jsonb back parsed: counted as the JSON text it stores.
const valueBytes = (v: unknown) => (typeof v === 'string' ? Buffer.byteLength(v) : v === null ? 0 : typeof v === 'object' ? Buffer.byteLength(JSON.stringify(v)) : 8);

export async function auditFootprint(t: TestApp, dialect: DialectName, afterId = 0): Promise<AuditFootprint> {
  const db = t.runtime.store.db;
  const rows = await db.selectFrom('webhook_audit').selectAll().where('id', '>', afterId).execute();
  const bytes = rows.reduce((sum, row) => sum + Object.values(row).reduce<number>((s, v) => s + valueBytes(v), 0), 0);
  const maxId = rows.reduce((m, r) => Math.max(m, Number(r.id)), afterId);
  let storedBytes: number | null = null;
  if (dialect === 'sqlite') {
    const [count] = (await sql<{ page_count: number }>`PRAGMA page_count`.execute(db)).rows;
    const [size] = (await sql<{ page_size: number }>`PRAGMA page_size`.execute(db)).rows;
    storedBytes = Number(count?.page_count) * Number(size?.page_size);
  } else if (dialect === 'postgres') {
    const [row] = (await sql<{ n: string }>`select pg_total_relation_size('webhook_audit') as n`.execute(db)).rows;
    storedBytes = Number(row?.n);
  } else {
    await sql`ANALYZE TABLE webhook_audit`.execute(db);
    const [row] = (
      await sql<{ n: string }>`select data_length + index_length as n from information_schema.tables where table_schema = database() and table_name = 'webhook_audit'`.execute(db)
    ).rows;
    storedBytes = Number(row?.n);
  }
  return { maxId, rows: rows.length, bytes, storedBytes };
}
