#!/usr/bin/env node
import type { Config } from '../core/config.js';
import type { Logger } from '../services/logger.js';
import type { Runtime } from './runtime.js';
import { COMMAND_HELP, readCommandLine, type CommandName } from './usage.js';

// Everything past the command line is imported when a command runs, so `--help` answers at once.

/** Commands that open the runtime, do one thing, print its result and close. */
const ONE_SHOT: Record<Exclude<CommandName, 'serve'>, (runtime: Runtime, args: string[]) => Promise<string>> = {
  migrate: async (runtime) => {
    const applied = runtime.migrationsApplied;
    return applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date';
  },
  'create-tenant': async (runtime, args) => (await import('./create-tenant.js')).createTenantCommand(runtime, args),
  'create-user': async (runtime, args) => (await import('./create-user.js')).createUserCommand(runtime, args),
  'reset-password': async (runtime, args) => (await import('./reset-password.js')).resetPasswordCommand(runtime, args),
  retention: async (runtime) => (await import('./retention.js')).retentionCommand(runtime),
  seed: async (runtime, args) => (await import('./seed.js')).seedCommand(runtime, args),
};

async function run(command: CommandName, args: string[], config: Config, logger: Logger): Promise<void> {
  if (command === 'serve') return (await import('./serve.js')).serve(config, logger);
  const { openRuntime } = await import('./runtime.js');
  const runtime = await openRuntime(config, logger, { migrate: true });
  try {
    console.log(await ONE_SHOT[command](runtime, args));
  } finally {
    await runtime.close();
  }
}

/** The message a person at a terminal needs: what is wrong and the fix, not a stack. */
async function describeFailure(err: unknown): Promise<string> {
  const [{ ConfigError }, { AppKeyMismatchError }] = await Promise.all([import('../core/config.js'), import('../services/app-key-check.js')]);
  if (err instanceof ConfigError || err instanceof AppKeyMismatchError) return err.message;
  return err instanceof Error ? `error: ${err.message}` : String(err);
}

/** node:util parseArgs' own errors: a flag the command does not know, or a value missing. */
function isArgumentError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

const line = readCommandLine(process.argv.slice(2));
if (line.kind === 'help') {
  console.log(line.text);
} else if (line.kind === 'usage-error') {
  console.error(line.text);
  process.exitCode = 2;
} else {
  const { command, args } = line;
  (async () => {
    const [{ parseConfig }, { createLogger }] = await Promise.all([import('../core/config.js'), import('../services/logger.js')]);
    const config = parseConfig(process.env);
    await run(command, args, config, createLogger(config.logLevel));
  })().catch(async (err: unknown) => {
    if (isArgumentError(err)) {
      console.error(`voice-lb ${command}: ${(err as Error).message}\n\n${COMMAND_HELP[command]}`);
      process.exit(2);
    }
    console.error(await describeFailure(err));
    process.exit(1);
  });
}
