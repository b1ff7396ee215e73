import type { FastifyInstance, FastifyRequest } from 'fastify';
import ipaddr from 'ipaddr.js';
import type { Logger } from '../services/logger.js';
import { createRepeatedLog, type RepeatedLog } from '../services/repeated-log.js';

/** Headers a proxy or tunnel adds when it forwards someone else's request. */
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-real-ip'] as const;

const HOUR_MS = 3_600_000;

/** Peers already judged: a connection's peer repeats (a proxy, the machine itself), and parsing one is not free. */
const judgedPeers = new Map<string, boolean>();

function isLoopback(address: string): boolean {
  let loopback = judgedPeers.get(address);
  if (loopback !== undefined) return loopback;
  try {
    loopback = ipaddr.process(address).range() === 'loopback';
  } catch {
    loopback = false;
  }
  // Bounded: anyone may connect; an address not kept is judged again.
  if (judgedPeers.size < 10_000) judgedPeers.set(address, loopback);
  return loopback;
}

/**
 * A request straight from this machine (`npm start` and curl or the simulator on a laptop):
 * the connection's own peer is loopback (not request.ip, which with TRUST_PROXY is whatever
 * X-Forwarded-For claims) and no proxy or tunnel says it forwarded someone else's request.
 */
export function isDirectLocal(request: FastifyRequest): boolean {
  const peer = request.raw.socket.remoteAddress;
  if (peer === undefined || !isLoopback(peer)) return false;
  return FORWARDING_HEADERS.every((h) => request.headers[h] === undefined);
}

const warnings = new WeakMap<FastifyInstance, RepeatedLog>();

function warnUnset(request: FastifyRequest): void {
  let log = warnings.get(request.server);
  if (!log) {
    // One line, then at most one count an hour: a setting to fix, not an event per call.
    log = createRepeatedLog(request.server.log as Logger, HOUR_MS);
    warnings.set(request.server, log);
  }
  log.warn('PUBLIC_URL is unset: Dial action URLs are sent relative (Cloudonix resolves them against the URL it called); set PUBLIC_URL to the address Cloudonix uses');
}

/**
 * Where a URL that carries a tenant's webhook secret back to Cloudonix starts (the Dial
 * action URL): PUBLIC_URL when set; else this request's own address only when the request
 * came straight from this machine. Otherwise '' (the URL is relative, `/api/voice/callback/…`,
 * and Cloudonix resolves it against the URL it called), so a forged Host header can never
 * choose where a secret is sent.
 */
export function secretUrlBase(request: FastifyRequest): string {
  const configured = request.server.config.publicUrl;
  if (configured) return configured;
  if (isDirectLocal(request)) return `${request.protocol}://${request.host}`;
  warnUnset(request);
  return '';
}

/**
 * Shown with the webhook URLs to admins while PUBLIC_URL is unset: those URLs are a guess.
 * `withAdvice` false leaves out what to set (said beside it already).
 */
export function guessedUrlsWarning(request: FastifyRequest, withAdvice = true): string | null {
  if (request.server.config.publicUrl) return null;
  const guess = `PUBLIC_URL is not set, so these URLs use the address your browser used (${request.protocol}://${request.host}), which Cloudonix may not reach.`;
  return withAdvice ? `${guess} Set PUBLIC_URL to the address Cloudonix uses (for example https://lb.example.org) and restart.` : guess;
}
