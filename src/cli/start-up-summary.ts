import ipaddr from 'ipaddr.js';
import type { SignupPolicy } from '../core/config.js';
import { endpointOf, maskUrlPassword } from './connection-url.js';
import type { AppKeySource } from './runtime.js';

/** What `serve` knows once it listens; everything the summary says comes from here. */
export interface StartUpFacts {
  /** HOST as configured. */
  host: string;
  /** The port bound (PORT=0 picks one). */
  port: number;
  publicUrl: string | undefined;
  /** The database URL in force (DATABASE_URL, or the embedded SQLite file). */
  databaseUrl: string;
  redisUrl: string | undefined;
  webUi: boolean;
  docs: boolean;
  /** Where /metrics is served, already in words. */
  metrics: string;
  logLevel: string;
  signup: SignupPolicy;
  /** Undefined when it could not be told (the summary then says nothing about a first run). */
  hasTenant: boolean | undefined;
  appKey: AppKeySource;
  /** How an operator runs a CLI command on this installation, e.g. `node dist/cli/main.js`. */
  cli: string;
}

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]', '0:0:0:0:0:0:0:0']);

/** HOST listens on every interface. */
export function isWildcardHost(host: string): boolean {
  return WILDCARDS.has(host);
}

/** HOST is this machine only: `localhost`, 127.0.0.0/8 or ::1. */
export function isLoopbackHost(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true;
  try {
    return ipaddr.process(host.replace(/^\[|\]$/g, '')).range() === 'loopback';
  } catch {
    return false;
  }
}

/** The address to open from this machine: localhost for a wildcard HOST. */
export function localUrl(host: string, port: number): string {
  const name = isWildcardHost(host) ? 'localhost' : host.replace(/^\[|\]$/g, '');
  return `http://${name.includes(':') ? `[${name}]` : name}:${port}`;
}

/**
 * The one start-up warning about PUBLIC_URL: only when others can reach this instance
 * (HOST is not loopback) and PUBLIC_URL is unset. On a laptop bound to 127.0.0.1 every
 * request is local and the URLs built from it are right, so there is nothing to fix.
 */
export function publicUrlWarning(host: string, publicUrl: string | undefined): string | undefined {
  if (publicUrl || isLoopbackHost(host)) return undefined;
  return (
    'PUBLIC_URL is unset: the webhook URLs shown to admins use the address their browser used, and Dial action URLs are relative ' +
    'unless the request came straight from this machine; set PUBLIC_URL to the address Cloudonix uses'
  );
}

function describeDatabase(url: string): string {
  const endpoint = endpointOf(url);
  if (endpoint?.engine === 'SQLite') return `SQLite at ${endpoint.database}`;
  return `${endpoint?.engine ?? 'database'} at ${maskUrlPassword(url)}`;
}

function describeMode(facts: StartUpFacts): string {
  if (facts.redisUrl) return `scaled (live call state shared in Redis at ${maskUrlPassword(facts.redisUrl)}; run as many instances as needed)`;
  if (endpointOf(facts.databaseUrl)?.engine === 'SQLite') return 'embedded (one instance; live call state in this process)';
  return 'one instance (live call state in this process; set REDIS_URL to run several)';
}

function describeOpen(facts: StartUpFacts): string {
  const local = localUrl(facts.host, facts.port);
  const everywhere = isWildcardHost(facts.host) ? ` (listening on all interfaces, port ${facts.port})` : '';
  if (facts.publicUrl) return `${facts.publicUrl}   (PUBLIC_URL; from this machine: ${local}${everywhere})`;
  return `${local}${everywhere}`;
}

function firstRunLines(facts: StartUpFacts, base: string): string[] {
  if (facts.hasTenant !== false) return [];
  if (facts.signup === 'closed') {
    return [`First run: no tenant yet, and SIGNUP=closed: create one with`, `           ${facts.cli} create-tenant --domain <your Cloudonix domain> --email <admin email>`];
  }
  return [`First run: no tenant yet: open ${base}/register to create yours (your Cloudonix domain) and its first admin`];
}

function keyLines(key: AppKeySource): string[] {
  if (key.kind === 'env') return ['Key:       APP_KEY (environment) encrypts stored secrets: every instance needs the same one; keep it with your secrets'];
  if (!key.created) return [`Key:       ${key.path} encrypts stored secrets: back it up with the database`];
  return [
    `Back up:   ${key.path} was created just now. It encrypts the agents' credentials and the webhook secrets`,
    '           in the database: without it they cannot be read and start-up refuses this database.',
    '           Copy it somewhere safe now, and keep it with every backup of the database.',
  ];
}

/**
 * The short human summary `serve` prints on stderr once it listens, beside the JSON logs
 * on stdout: where to open, how it runs, what to do on a first run, and the key to back up.
 */
export function startUpSummary(facts: StartUpFacts): string[] {
  const base = facts.publicUrl ?? localUrl(facts.host, facts.port);
  return [
    'Voice agent load balancer ready',
    `  Open:      ${describeOpen(facts)}`,
    ...(facts.webUi ? [] : ['  UI:        not built (npm run build:web); the API and webhooks are served']),
    `  Mode:      ${describeMode(facts)}`,
    `  Database:  ${describeDatabase(facts.databaseUrl)}`,
    ...firstRunLines(facts, base).map((l) => `  ${l}`),
    ...keyLines(facts.appKey).map((l) => `  ${l}`),
    `  Metrics:   ${facts.metrics}`,
    ...(facts.docs ? [`  API docs:  ${base}/docs`] : []),
    `  Logs:      JSON lines on stdout at ${facts.logLevel} (LOG_LEVEL); requests that went well are logged at debug`,
  ];
}
