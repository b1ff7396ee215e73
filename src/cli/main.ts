#!/usr/bin/env node
import { ConfigError, parseConfig } from '../core/config.js';
import { AppKeyMismatchError } from '../services/app-key-check.js';
import { createLogger } from '../services/logger.js';
import { createTenantCommand } from './create-tenant.js';
import { createUserCommand } from './create-user.js';
import { resetPasswordCommand } from './reset-password.js';
import { openRuntime } from './runtime.js';
import { retentionCommand } from './retention.js';
import { seedCommand } from './seed.js';
import { serve } from './serve.js';

const usage = `usage: voice-lb <command>
  serve         migrate the database and serve the API and UI (default)
  migrate       apply pending database migrations and exit
  create-tenant --domain D --email E [--name TENANT] [--admin-name N] [--password P]
                a tenant and its first admin, whatever SIGNUP says; without a password, prints a link to set one
  create-user   --domain D --email E [--name N] [--role admin|analyst] [--password P]
  reset-password <email> [--password P]
                prints a single-use link to set a new password (or sets P); signs the user out everywhere
  retention     delete call data older than each tenant's retention_days now; prints what was removed
  seed          --domain D [--calls N] [--days 60] [--seed S]   synthetic calls for demos and benchmarks`;

async function main(argv: string[]): Promise<void> {
  const [command = 'serve', ...rest] = argv;
  const config = parseConfig(process.env);
  const logger = createLogger(config.logLevel);
  switch (command) {
    case 'serve':
      return serve(config, logger);
    case 'migrate': {
      const runtime = await openRuntime(config, logger, { migrate: true });
      await runtime.close();
      const applied = runtime.migrationsApplied;
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
      return;
    }
    case 'create-user':
    case 'create-tenant':
    case 'reset-password': {
      const commands = { 'create-user': createUserCommand, 'create-tenant': createTenantCommand, 'reset-password': resetPasswordCommand };
      const runtime = await openRuntime(config, logger, { migrate: true });
      try {
        console.log(await commands[command](runtime, rest));
      } finally {
        await runtime.close();
      }
      return;
    }
    case 'seed': {
      const runtime = await openRuntime(config, logger, { migrate: true });
      try {
        console.log(await seedCommand(runtime, rest));
      } finally {
        await runtime.close();
      }
      return;
    }
    case 'retention': {
      const runtime = await openRuntime(config, logger, { migrate: true });
      try {
        console.log(await retentionCommand(runtime));
      } finally {
        await runtime.close();
      }
      return;
    }
    default:
      console.error(usage);
      process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  // Start-up errors are for a person at a terminal: the message, not a stack.
  if (err instanceof ConfigError || err instanceof AppKeyMismatchError) console.error(err.message);
  else console.error(err instanceof Error ? `error: ${err.message}` : err);
  process.exit(1);
});
