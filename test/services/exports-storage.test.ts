import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { parse } from 'csv-parse/sync';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import S3rver from 's3rver';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3Config } from '../../src/core/config.js';
import type { ExportResponse } from '../../src/http/exports.js';
import { createS3Storage } from '../../src/services/exports/s3-storage.js';
import { createLocalStorage, type ExportStorage } from '../../src/services/exports/storage.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS } from '../support/backends.js';
import { startMailCatcher, type MailCatcher } from '../support/mail-catcher.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const BUCKET = 'vlb-exports';

/** `parts` chunks of 1 MiB of varied bytes, optionally failing after `failAfter` chunks. */
function body(parts: number, failAfter?: number): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < parts; i++) {
        if (failAfter !== undefined && i === failAfter) throw new Error('source broke');
        yield Buffer.alloc(1024 * 1024, i % 251);
      }
    })(),
  );
}
const sha = (buf: Buffer) => createHash('sha256').update(buf).digest('hex');
async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

/** The contract both storages keep. */
function storageContract(name: string, make: () => ExportStorage) {
  it(`${name}: stores a 12 MiB stream (several parts), reads it back, deletes it`, async () => {
    const storage = make();
    await storage.put('7/1.csv', body(12), 'text/csv; charset=utf-8');
    const opened = await storage.open('7/1.csv');
    expect(opened?.size).toBe(12 * 1024 * 1024);
    expect(sha(await readAll(opened!.body))).toBe(sha(await readAll(body(12))));
    await storage.delete('7/1.csv');
    await storage.delete('7/1.csv'); // gone already: not an error
    expect(await storage.open('7/1.csv')).toBeUndefined();
  });

  it(`${name}: a source that fails leaves nothing behind`, async () => {
    const storage = make();
    await expect(storage.put('7/2.csv', body(8, 6), 'text/csv')).rejects.toThrow('source broke');
    expect(await storage.open('7/2.csv')).toBeUndefined();
  });
}

let s3rver: S3rver;
let s3: S3Config;
const s3dir = mkdtempSync(join(tmpdir(), 'vlb-s3rver-'));
const localDir = mkdtempSync(join(tmpdir(), 'vlb-local-exports-'));
let catcher: MailCatcher;

beforeAll(async () => {
  s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: s3dir });
  const { port } = await s3rver.run();
  s3 = { bucket: BUCKET, region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true };
  const client = new S3Client({ region: s3.region, endpoint: s3.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  client.destroy();
  catcher = await startMailCatcher();
});
afterAll(async () => {
  await s3rver?.close();
  await catcher?.close();
  rmSync(s3dir, { recursive: true, force: true });
  rmSync(localDir, { recursive: true, force: true });
});

describe('export storage', () => {
  storageContract('local', () => createLocalStorage(localDir));
  storageContract('s3', () => createS3Storage(s3));

  it('local: refuses keys outside its folder and never leaves .partial files', async () => {
    const storage = createLocalStorage(localDir);
    await expect(storage.put('../escape.csv', body(1), 'text/csv')).rejects.toThrow('outside');
    const files = readdirSync(localDir, { recursive: true }).map(String);
    expect(files.filter((f) => f.endsWith('.partial'))).toEqual([]);
  });
});

const sqlite = DIALECTS[0]!;

async function seed(t: TestApp, tenantId: number, count: number): Promise<void> {
  const now = Date.UTC(2026, 1, 1);
  for (let start = 0; start < count; start += 500) {
    const rows = Array.from({ length: Math.min(500, count - start) }, (_, k) => {
      const i = start + k;
      return { tenant_id: tenantId, session_token: `s3-${i}`, direction: 'inbound', from_number: i === 0 ? '@SUM(1+1)' : `+1415555${String(i).padStart(4, '0')}`, to_number: '+12125550187', status: 'completed', agent_id: null, group_id: null, rule_id: null, attempt: 1, decision_trace: null, disposition: 'ANSWER', started_at: now + i, answered_at: now + i, ended_at: now + i + 1000, duration_seconds: 1, billsec: 1, created_at: now, updated_at: now };
    });
    await t.runtime.store.db.insertInto('call_records').values(rows).execute();
  }
}

async function waitFor(t: TestApp, token: string, id: number): Promise<ExportResponse> {
  for (let i = 0; i < 1200; i++) {
    const view = (await t.request({ method: 'GET', url: `/api/exports/${id}`, token })).json<ExportResponse>();
    if (view.status === 'completed' || view.status === 'failed') return view;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`export ${id} did not finish`);
}

describe('exports to S3 with an email when ready', () => {
  let t: TestApp;
  let a: TenantActors;
  beforeAll(async () => {
    t = await createTestApp(sqlite, {
      S3_ENDPOINT: s3.endpoint!,
      S3_BUCKET: BUCKET,
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_FORCE_PATH_STYLE: 'true',
      SMTP_URL: catcher.url,
      MAIL_FROM: 'Exports <exports@lb.example.org>',
      PUBLIC_URL: 'https://lb.example.org',
    });
    a = await registerTenant(t, 's3');
    await seed(t, a.tenantId, 3000);
  });
  afterAll(async () => t?.close());

  it('writes the file to the bucket, streams it back, emails the requester the download path, and expires it', async () => {
    expect(t.runtime.services.exports.storageKind).toBe('s3');
    const res = await t.request({ method: 'POST', url: '/api/exports', token: a.admin.token, payload: { format: 'csv', fields: ['id', 'from'] } });
    const id = res.json<ExportResponse>().id;
    const done = await waitFor(t, a.admin.token, id);
    expect(done).toMatchObject({ status: 'completed', row_count: 3000 });

    const client = new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    const key = `exports/${a.tenantId}/${id}.csv`;
    const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: key }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual([key]);

    const file = await t.request({ method: 'GET', url: `/api/exports/${id}/download`, token: a.analyst.token });
    expect(file.headers['content-disposition']).toBe(`attachment; filename="calls-${id}.csv"`);
    const [header, first, ...rest] = parse(file.rawPayload) as string[][];
    expect(header).toEqual(['id', 'from']);
    expect(first![1]).toBe("'@SUM(1+1)");
    expect(rest).toHaveLength(2999);

    for (let i = 0; i < 100 && !catcher.mails.some((m) => m.subject?.includes(`#${id}`)); i++) await new Promise((r) => setTimeout(r, 50));
    const mail = catcher.mails.find((m) => m.subject?.includes(`#${id}`));
    expect(mail?.to && 'text' in mail.to ? mail.to.text : '').toBe(a.admin.email);
    expect(mail?.from?.text).toContain('exports@lb.example.org');
    expect(mail?.text).toContain(`https://lb.example.org/api/exports/${id}/download`);
    expect(mail?.text).toContain('3,000 call records');

    expect(await t.runtime.services.exports.sweepExpired(Date.parse(done.expires_at!))).toBe(1);
    expect((await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: key }))).Contents ?? []).toEqual([]);
    expect((await t.request({ method: 'GET', url: `/api/exports/${id}/download`, token: a.admin.token })).statusCode).toBe(404);
    client.destroy();
  });
});

describe('an unreachable mail server', () => {
  it('is logged and does not fail the export', async () => {
    const closed = new SMTPServer({ logger: false });
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(resolve));
    const t = await createTestApp(sqlite, { SMTP_URL: `smtp://127.0.0.1:${port}` });
    try {
      const a = await registerTenant(t, 'nomail');
      await seed(t, a.tenantId, 10);
      const res = await t.request({ method: 'POST', url: '/api/exports', token: a.admin.token, payload: { format: 'json' } });
      expect(await waitFor(t, a.admin.token, res.json<ExportResponse>().id)).toMatchObject({ status: 'completed', row_count: 10 });
      await t.runtime.services.exports.whenIdle();
      expect(t.logs.some((l) => l.includes('could not email the export-ready notice'))).toBe(true);
      expect(existsSync(join(t.runtime.config.dataDir, 'exports', String(a.tenantId)))).toBe(true);
    } finally {
      await t.close();
    }
  });
});

describe('an in-process export interrupted by shutdown', () => {
  it('is queued again and completes after the restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vlb-resume-'));
    const fileDb = { name: 'sqlite' as const, createDatabase: async () => ({ url: `sqlite:${join(dir, 'db.sqlite')}`, drop: async () => {} }) };
    const env = { APP_KEY: 'ab'.repeat(32) };
    try {
      const first = await createTestApp(fileDb, env);
      const a = await registerTenant(first, 'resume');
      await seed(first, a.tenantId, 30_000);
      const id = (await first.request({ method: 'POST', url: '/api/exports', token: a.admin.token, payload: { format: 'csv' } })).json<ExportResponse>().id;
      let view: ExportResponse | undefined;
      for (let i = 0; i < 2000 && !(view?.status === 'running' && view.progress > 0); i++) {
        // A timer between polls: back-to-back injects would never let the job's file writes run.
        await new Promise((r) => setTimeout(r, 2));
        view = (await first.request({ method: 'GET', url: `/api/exports/${id}`, token: a.admin.token })).json<ExportResponse>();
      }
      expect(view).toMatchObject({ status: 'running' });
      // Closing the app stops the job at its next page and queues it again.
      await first.close();

      const second = await createTestApp(fileDb, env);
      try {
        expect((await second.request({ method: 'GET', url: `/api/exports/${id}`, token: a.admin.token })).json()).toMatchObject({ status: 'queued', progress: 0 });
        const stop = second.runtime.services.exports.startBackground();
        expect(await waitFor(second, a.admin.token, id)).toMatchObject({ status: 'completed', row_count: 30_000 });
        await stop();
        const files = readdirSync(join(second.runtime.config.dataDir, 'exports'), { recursive: true }).map(String);
        expect(files.sort()).toEqual([String(a.tenantId), join(String(a.tenantId), `${id}.csv`)]);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
