import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable } from 'node:stream';
import type { S3Config } from '../../core/config.js';
import type { ExportStorage } from './storage.js';

const PREFIX = 'exports/';

/**
 * Export files in an S3-compatible bucket (AWS S3, MinIO, R2, ...). Uploads are
 * multipart from the stream as it is produced (5 MiB parts, two in flight), so the
 * file is never held whole in memory or on disk; a failed upload is aborted.
 */
export function createS3Storage(config: S3Config): ExportStorage {
  const client = new S3Client({
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    forcePathStyle: config.forcePathStyle,
    ...(config.accessKeyId && config.secretAccessKey ? { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } } : {}),
    // Checksums only where S3 requires them: several S3-compatible servers reject the newer default trailers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const bucket = config.bucket;
  return {
    kind: 's3',
    async put(key, body, contentType) {
      let sourceError: unknown;
      body.once('error', (err) => (sourceError = err));
      const upload = new Upload({ client, params: { Bucket: bucket, Key: PREFIX + key, Body: body, ContentType: contentType }, queueSize: 2, partSize: 5 * 1024 * 1024 });
      try {
        await upload.done();
      } catch (err) {
        // Report why the file could not be produced, not a later failure to abort the upload (some servers lack that call).
        throw sourceError ?? err;
      }
    },
    async open(key) {
      try {
        const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: PREFIX + key }));
        if (!(res.Body instanceof Readable)) throw new Error('S3 answered without a readable body');
        return { body: res.Body, size: res.ContentLength };
      } catch (err) {
        if (err instanceof NoSuchKey || (err as { name?: unknown }).name === 'NoSuchKey') return undefined;
        throw err;
      }
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: PREFIX + key }));
    },
    async close() {
      client.destroy();
    },
  };
}
