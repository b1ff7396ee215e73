// What a process's resident memory is made of, sampled while something runs: VmRSS split into
// RssAnon (heap, buffers, SQLite's page cache), RssFile (file pages mapped in, such as SQLite's mmap of
// the database) and RssShmem (shared mappings, such as the WAL index), plus this process's V8 heap.
import { readFileSync } from 'node:fs';

/** Resident memory by kind, MiB. */
export interface MemoryParts {
  vmRss: number;
  rssAnon: number;
  rssFile: number;
  rssShmem: number;
  /** V8 heap in use (this process only; not after a GC, so it includes garbage). */
  heapUsed: number;
  /** Buffers and other memory V8 objects hold outside the heap. */
  external: number;
}

const MIB = 1024;

/** A `kB` field of a /proc status text (VmRSS, RssAnon...), in kB; null when the kernel does not report it. */
export function statusKiB(status: string, name: string): number | null {
  const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) : null;
}
const statusField = (status: string, name: string): number => (statusKiB(status, name) ?? 0) / MIB;

/** One reading of /proc/self/status and the V8 heap. */
export function readMemoryParts(): MemoryParts {
  const status = readFileSync('/proc/self/status', 'utf8');
  const { heapUsed, external } = process.memoryUsage();
  return {
    vmRss: statusField(status, 'VmRSS'),
    rssAnon: statusField(status, 'RssAnon'),
    rssFile: statusField(status, 'RssFile'),
    rssShmem: statusField(status, 'RssShmem'),
    heapUsed: heapUsed / 1048576,
    external: external / 1048576,
  };
}

const kinds = ['vmRss', 'rssAnon', 'rssFile', 'rssShmem', 'heapUsed', 'external'] as const;

/**
 * Samples every `everyMs` from now until `stop()`: the growth over the first reading at the moment
 * VmRSS peaked (so the parts add up to that figure), and each part's own peak growth.
 */
export function sampleMemoryParts(everyMs = 20) {
  const base = readMemoryParts();
  let atRssPeak = base;
  const peaks: MemoryParts = { ...base };
  const take = () => {
    const now = readMemoryParts();
    if (now.vmRss > atRssPeak.vmRss) atRssPeak = now;
    for (const k of kinds) peaks[k] = Math.max(peaks[k], now[k]);
  };
  const timer = setInterval(take, everyMs);
  const minus = (a: MemoryParts): MemoryParts => {
    const out = { ...a };
    for (const k of kinds) out[k] = a[k] - base[k];
    return out;
  };
  return {
    stop(): { base: MemoryParts; atRssPeak: MemoryParts; peaks: MemoryParts; end: MemoryParts } {
      take();
      clearInterval(timer);
      return { base, atRssPeak: minus(atRssPeak), peaks: minus(peaks), end: minus(readMemoryParts()) };
    },
  };
}

/** `+12.3` with its sign, one decimal. */
export const signedMb = (n: number): string => `${n >= 0 ? '+' : ''}${n.toFixed(1)}`;
