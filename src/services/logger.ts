import { pino, type DestinationStream, type Logger } from 'pino';
import { maskUrlSecrets } from '../core/mask.js';

/**
 * The one logger: structured JSON. Secrets are removed twice over: known paths
 * are redacted, and URLs have their token query parameters masked.
 */
const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-cx-apikey"]',
  'headers.authorization',
  'headers["x-cx-apikey"]',
  '*.password',
  '*.password_confirmation',
  '*.password_hash',
  '*.token',
  '*.token_hash',
  '*.webhook_secret',
  '*.secret',
  '*.username',
  'password',
  'token',
  'webhook_secret',
];

interface SerializedRequest {
  method?: string;
  url?: string;
  ip?: string;
  id?: string;
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: redactPaths, censor: '[redacted]' },
      serializers: {
        req: (req: SerializedRequest) => ({ method: req.method, url: req.url ? maskUrlSecrets(req.url) : undefined, ip: req.ip }),
        // Only these fields: driver errors (mysql2's `sql`, pg's `parameters`) can carry bound values.
        err: (err: Error & { code?: unknown; statusCode?: unknown }) => ({
          type: err.name,
          message: maskUrlSecrets(err.message),
          code: err.code,
          statusCode: err.statusCode,
          stack: err.stack,
        }),
      },
    },
    destination,
  );
}
export type { Logger };
