import { z } from 'zod';
import { REJECTION_AUDIT_SAMPLES, type RejectionLimits } from './webhook-rejection.js';

/**
 * Runtime configuration, parsed once from the environment at start-up.
 * A bad value stops start-up with a message naming the variable (see `parseConfig`).
 */
const databaseUrl = z
  .string()
  .trim()
  .refine((v) => /^(mysql|mariadb|postgres|postgresql|sqlite|file):/i.test(v), {
    message: 'must start with mysql://, mariadb://, postgres://, postgresql:// or sqlite:',
  });

const booleanish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const onOff = z.enum(['on', 'off', 'true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'on' || v === 'true' || v === '1' || v === 'yes');

/** `host:port` of a second listener; IPv6 hosts in brackets (`[::1]:9464`). */
const listenAddress = z
  .string()
  .trim()
  .regex(/^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):(\d{1,5})$/, 'must be host:port, e.g. 127.0.0.1:9464')
  .transform((v) => {
    const at = v.lastIndexOf(':');
    return { host: v.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(v.slice(at + 1)) };
  })
  .refine((a) => a.port <= 65535, 'the port must be 0-65535');

export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  DATABASE_URL: databaseUrl.optional(),
  REDIS_URL: z
    .string()
    .trim()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  APP_KEY: z.string().trim().optional(),
  PUBLIC_URL: z.url({ message: 'must be an absolute http(s) URL' }).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: booleanish.default(false),
  SIGNUP: z.enum(['first', 'open', 'closed']).default('first'),
  TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(1024 * 1024),
  CORS_ORIGINS: z.string().trim().optional(),
  LOGIN_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(10),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86400).default(60),
  LOGIN_MAX_ATTEMPTS_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(30),
  PASSWORD_HASH_QUEUE: z.coerce.number().int().min(0).max(1000).default(8),
  PASSWORD_HASH_WORKER: booleanish.default(true),
  S3_ENDPOINT: z.url({ message: 'must be an absolute http(s) URL' }).optional(),
  S3_BUCKET: z.string().trim().min(3).max(63).optional(),
  S3_REGION: z.string().trim().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().trim().optional(),
  S3_SECRET_ACCESS_KEY: z.string().trim().optional(),
  S3_FORCE_PATH_STYLE: booleanish.default(false),
  SMTP_URL: z
    .string()
    .trim()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .optional(),
  MAIL_FROM: z.string().trim().min(3).default('Voice LB <no-reply@localhost>'),
  EXPORT_EXPIRY_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
  REALTIME_REPLAY_EVENTS: z.coerce.number().int().min(1).max(100_000).default(1000),
  REALTIME_REPLAY_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  REALTIME_HEARTBEAT_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  REALTIME_CONNECTS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(120),
  REALTIME_WATCH_ANNOUNCE_SECONDS: z.coerce.number().int().min(1).max(60).default(5),
  WEBHOOK_REJECTIONS_PER_SOURCE: z.coerce.number().int().min(1).max(1_000_000).default(30),
  WEBHOOK_REJECTIONS_PER_TENANT: z.coerce.number().int().min(1).max(1_000_000).default(120),
  API_RATE_LIMIT_PER_TOKEN: z.coerce.number().int().min(1).max(10_000_000).default(1200),
  API_RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).max(10_000_000).default(3000),
  API_RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  METRICS_TOKEN: z.string().trim().min(16, 'must be at least 16 characters (openssl rand -hex 32)').optional(),
  METRICS_LISTEN: listenAddress.optional(),
  DOCS: onOff.default(true),
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(25_000),
  ALERTS_EVALUATE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  ALERTS_RETRY_BASE_MS: z.coerce.number().int().min(1).max(60_000).default(2000),
  CLOUDONIX_API_URL: z.url({ protocol: /^https?$/, message: 'must be an absolute http(s) URL' }).default('https://api.cloudonix.io'),
  CLOUDONIX_API_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(10),
});

export type RawConfig = z.infer<typeof configSchema>;
export type SignupPolicy = RawConfig['SIGNUP'];

/** S3-compatible storage for export files; set when S3_BUCKET is. */
export interface S3Config {
  bucket: string;
  region: string;
  endpoint: string | undefined;
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  forcePathStyle: boolean;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Undefined means the embedded SQLite file in `dataDir`. */
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** 32-byte key; undefined only before the embedded key file is read or created. */
  appKey: Buffer | undefined;
  publicUrl: string | undefined;
  logLevel: RawConfig['LOG_LEVEL'];
  trustProxy: boolean;
  /** Who may create a tenant over HTTP: the first one only (default), anyone, or no one (the CLI does). */
  signup: SignupPolicy;
  tokenTtlDays: number;
  bodyLimitBytes: number;
  corsOrigins: string[];
  loginMaxAttempts: number;
  loginWindowSeconds: number;
  /** Sign-in attempts per client address per window, whatever the email (spraying many accounts). */
  loginMaxAttemptsPerAddress: number;
  /** Where passwords are hashed, and how many sign-ins may wait for it. */
  passwordHashing: { worker: boolean; queueLimit: number };
  /** Export files go to S3 when set, else to `DATA_DIR/exports`. */
  s3: S3Config | undefined;
  /** When set, the requester of an export gets an email once it is ready. */
  smtpUrl: string | undefined;
  mailFrom: string;
  exportExpiryDays: number;
  /** GET /ws: how much a reconnecting dashboard can catch up on, and how often dead sockets are looked for. */
  realtime: RealtimeConfig;
  /** Webhooks refused for an unknown domain or a wrong secret: per minute, then 429; audit rows sampled. */
  webhookRejections: RejectionLimits;
  /** Requests to the signed-in /api routes per bearer token and per client address in each window (then 429). */
  apiRateLimits: ApiRateLimits;
  /** GET /metrics: needs `Bearer <token>` when a token is set; on the main port only then; also on `listen` when set. */
  metrics: { token: string | undefined; listen: { host: string; port: number } | undefined };
  /** `/docs` and `/openapi.json` are served. */
  docs: boolean;
  /** On SIGTERM/SIGINT: how long /ready fails before the listener closes, and the bound on the whole shutdown (cli/serve.ts). */
  shutdown: { drainMs: number; timeoutMs: number };
  /** How often alert conditions are evaluated (0: never on a timer), and the first retry delay of an alert webhook (doubled each try). */
  alerts: { evaluateSeconds: number; retryBaseMs: number };
  /** Base URL of the Cloudonix REST API (setup, test calls, call control); tests point it at a local fake. */
  cloudonixApiUrl: string;
  /** Requests per domain per 10 s we send Cloudonix (it allows 10; lower when other tools use the same domain). */
  cloudonixRequestsPer10s: number;
}

export interface ApiRateLimits {
  perToken: number;
  perAddress: number;
  windowSeconds: number;
}

export interface RealtimeConfig {
  /** Events kept per tenant for replay... */
  replayEvents: number;
  /** ...and for at most this long. */
  replaySeconds: number;
  /** A socket that has not answered the previous ping by the next one is closed. */
  heartbeatSeconds: number;
  /** New sockets one client address may open per minute (then 429). */
  connectsPerMinute: number;
  /** How often an instance tells the others which tenants it has dashboards of (see realtime/watchers.ts). */
  watchAnnounceSeconds: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * APP_KEY accepts 64 hex characters, or 32 bytes in base64 (optionally prefixed `base64:`).
 * Returns undefined when the value is not a 32-byte key.
 */
export function decodeAppKey(value: string): Buffer | undefined {
  const v = value.trim();
  if (/^[0-9a-f]{64}$/i.test(v)) return Buffer.from(v, 'hex');
  const b64 = v.startsWith('base64:') ? v.slice(7) : v;
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(b64)) return undefined;
  const buf = Buffer.from(b64, b64.includes('-') || b64.includes('_') ? 'base64url' : 'base64');
  return buf.length === 32 ? buf : undefined;
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  // Empty strings mean "unset", so `FOO= npm start` behaves like no FOO at all.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const result = configSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const raw = result.data;
  const problems: string[] = [];
  let appKey: Buffer | undefined;
  if (raw.APP_KEY !== undefined) {
    appKey = decodeAppKey(raw.APP_KEY);
    if (!appKey) problems.push('APP_KEY: must be 32 bytes as 64 hex characters or base64 (openssl rand -base64 32)');
  } else if (raw.DATABASE_URL !== undefined) {
    problems.push('APP_KEY: required when DATABASE_URL is set (every instance must share the same key)');
  }
  if ((raw.S3_ACCESS_KEY_ID === undefined) !== (raw.S3_SECRET_ACCESS_KEY === undefined)) {
    problems.push('S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY: set both or neither');
  }
  if (raw.S3_BUCKET === undefined && (raw.S3_ENDPOINT !== undefined || raw.S3_ACCESS_KEY_ID !== undefined)) {
    problems.push('S3_BUCKET: required when S3_ENDPOINT or S3 credentials are set');
  }
  if (raw.SHUTDOWN_DRAIN_MS >= raw.SHUTDOWN_TIMEOUT_MS) {
    problems.push('SHUTDOWN_DRAIN_MS: must be less than SHUTDOWN_TIMEOUT_MS (the drain is part of the shutdown, which also finishes requests and writes)');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port: raw.PORT,
    host: raw.HOST,
    dataDir: raw.DATA_DIR,
    databaseUrl: raw.DATABASE_URL,
    redisUrl: raw.REDIS_URL,
    appKey,
    publicUrl: raw.PUBLIC_URL?.replace(/\/+$/, ''),
    logLevel: raw.LOG_LEVEL,
    trustProxy: raw.TRUST_PROXY,
    signup: raw.SIGNUP,
    tokenTtlDays: raw.TOKEN_TTL_DAYS,
    bodyLimitBytes: raw.BODY_LIMIT_BYTES,
    corsOrigins: raw.CORS_ORIGINS ? raw.CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean) : [],
    loginMaxAttempts: raw.LOGIN_MAX_ATTEMPTS,
    loginWindowSeconds: raw.LOGIN_WINDOW_SECONDS,
    loginMaxAttemptsPerAddress: raw.LOGIN_MAX_ATTEMPTS_PER_ADDRESS,
    passwordHashing: { worker: raw.PASSWORD_HASH_WORKER, queueLimit: raw.PASSWORD_HASH_QUEUE },
    s3: raw.S3_BUCKET
      ? {
          bucket: raw.S3_BUCKET,
          region: raw.S3_REGION,
          endpoint: raw.S3_ENDPOINT,
          accessKeyId: raw.S3_ACCESS_KEY_ID,
          secretAccessKey: raw.S3_SECRET_ACCESS_KEY,
          forcePathStyle: raw.S3_FORCE_PATH_STYLE,
        }
      : undefined,
    smtpUrl: raw.SMTP_URL,
    mailFrom: raw.MAIL_FROM,
    exportExpiryDays: raw.EXPORT_EXPIRY_DAYS,
    realtime: { replayEvents: raw.REALTIME_REPLAY_EVENTS, replaySeconds: raw.REALTIME_REPLAY_SECONDS, heartbeatSeconds: raw.REALTIME_HEARTBEAT_SECONDS, connectsPerMinute: raw.REALTIME_CONNECTS_PER_MINUTE, watchAnnounceSeconds: raw.REALTIME_WATCH_ANNOUNCE_SECONDS },
    webhookRejections: { perSourcePerMinute: raw.WEBHOOK_REJECTIONS_PER_SOURCE, perTenantPerMinute: raw.WEBHOOK_REJECTIONS_PER_TENANT, ...REJECTION_AUDIT_SAMPLES },
    apiRateLimits: { perToken: raw.API_RATE_LIMIT_PER_TOKEN, perAddress: raw.API_RATE_LIMIT_PER_ADDRESS, windowSeconds: raw.API_RATE_LIMIT_WINDOW_SECONDS },
    metrics: { token: raw.METRICS_TOKEN, listen: raw.METRICS_LISTEN },
    docs: raw.DOCS,
    shutdown: { drainMs: raw.SHUTDOWN_DRAIN_MS, timeoutMs: raw.SHUTDOWN_TIMEOUT_MS },
    alerts: { evaluateSeconds: raw.ALERTS_EVALUATE_SECONDS, retryBaseMs: raw.ALERTS_RETRY_BASE_MS },
    cloudonixApiUrl: raw.CLOUDONIX_API_URL.replace(/\/+$/, ''),
    cloudonixRequestsPer10s: raw.CLOUDONIX_API_RATE_LIMIT,
  };
}
