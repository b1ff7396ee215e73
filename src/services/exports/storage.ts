import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Where export files live: a folder (DATA_DIR/exports) or an S3-compatible bucket
 * (`s3-storage.ts`). Keys are `<tenant id>/<export id>.<ext>`, made by us, never by a client.
 */
export interface ExportStorage {
  readonly kind: 'local' | 's3';
  /** Streams `body` to `key`; resolves once the whole object is stored, and leaves nothing behind on failure. */
  put(key: string, body: Readable, contentType: string): Promise<void>;
  /** The stored bytes, or undefined when the object is gone. */
  open(key: string): Promise<{ body: Readable; size: number | undefined } | undefined>;
  /** Removes the object; removing one that is gone is not an error. */
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}

function isMissing(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'ENOENT';
}

/** Files under `root`; each is written as `<name>.partial` and renamed when complete, so a crash never leaves a file that looks done. */
export function createLocalStorage(root: string): ExportStorage {
  const base = resolve(root);
  const pathOf = (key: string): string => {
    const path = resolve(base, key);
    if (!path.startsWith(base + sep)) throw new Error(`export key outside the exports folder: ${key}`);
    return path;
  };
  return {
    kind: 'local',
    async put(key, body) {
      const path = pathOf(key);
      const partial = `${path}.partial`;
      await mkdir(dirname(path), { recursive: true });
      try {
        await pipeline(body, createWriteStream(partial));
        await rename(partial, path);
      } catch (err) {
        await rm(partial, { force: true });
        throw err;
      }
    },
    async open(key) {
      const path = pathOf(key);
      try {
        const { size } = await stat(path);
        return { body: createReadStream(path), size };
      } catch (err) {
        if (isMissing(err)) return undefined;
        throw err;
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
    async close() {},
  };
}

/** DATA_DIR/exports */
export function localExportsRoot(dataDir: string): string {
  return join(resolve(dataDir), 'exports');
}
