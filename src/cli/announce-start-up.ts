import { relative } from 'node:path';
import type { Logger } from '../services/logger.js';
import { maskUrlPassword } from './connection-url.js';
import { databaseUrlOf, type Runtime } from './runtime.js';
import { publicUrlWarning, startUpSummary } from './start-up-summary.js';

export interface Listening {
  runtime: Runtime;
  logger: Logger;
  /** What app.listen returned, e.g. http://0.0.0.0:3000. */
  address: string;
  /** The port bound. */
  port: number;
  webUi: boolean;
  /** Where /metrics is served, in words. */
  metrics: string;
  /** Where the human summary goes; stderr, so stdout stays JSON lines for log shippers. */
  write?: (text: string) => void;
}

/** How to run a CLI command here: the compiled entry point as started, or the npm script from a checkout under tsx. */
function cliCommand(): string {
  const entry = process.argv[1];
  if (entry?.endsWith('.js')) return `node ${relative(process.cwd(), entry) || entry}`;
  return 'npm run cli --';
}

/**
 * Says the service is up: one JSON line (as before) for log pipelines, the human summary on
 * stderr (unless LOG_LEVEL=silent; containers are no TTY, but operators read their logs), and
 * the one PUBLIC_URL warning when the service can be reached from elsewhere without it.
 */
export async function announceStartUp(input: Listening): Promise<void> {
  const { runtime, logger } = input;
  const { config } = runtime;
  const databaseUrl = databaseUrlOf(config);
  const appKey = runtime.appKeySource.kind === 'env' ? 'APP_KEY' : `${runtime.appKeySource.path}${runtime.appKeySource.created ? ' (created now: back it up)' : ''}`;
  logger.info(
    {
      address: input.address,
      database: maskUrlPassword(databaseUrl),
      plane: runtime.plane.kind,
      ui: input.webUi ? 'served' : 'not built (npm run build:web)',
      metrics: input.metrics,
      docs: config.docs ? '/docs' : 'off',
      appKey,
    },
    `voice agent load balancer listening on ${input.address}`,
  );
  const warning = publicUrlWarning(config.host, config.publicUrl);
  if (warning) logger.warn(warning);
  if (config.logLevel === 'silent') return;
  const hasTenant = await runtime.services.repos.appMeta.anyTenant().catch(() => undefined);
  const lines = startUpSummary({
    host: config.host,
    port: input.port,
    publicUrl: config.publicUrl,
    databaseUrl,
    redisUrl: config.redisUrl,
    webUi: input.webUi,
    docs: config.docs,
    metrics: input.metrics,
    logLevel: config.logLevel,
    signup: config.signup,
    hasTenant,
    appKey: runtime.appKeySource,
    cli: cliCommand(),
  });
  (input.write ?? ((text: string) => process.stderr.write(text)))(`\n${lines.join('\n')}\n\n`);
}
