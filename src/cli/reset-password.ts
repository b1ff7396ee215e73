import { parseArgs } from 'node:util';
import type { Runtime } from './runtime.js';

/** Where the printed links point: PUBLIC_URL, else this host's own port. */
export function operatorBaseUrl(runtime: Runtime): string {
  return runtime.config.publicUrl ?? `http://localhost:${runtime.config.port}`;
}

/**
 * `reset-password <email> [--password P]`: the operator's way back in for a user. Prints a
 * single-use link (72 h) to set a new password, or sets the one given (--password or
 * NEW_USER_PASSWORD, which keeps it out of shell history); either way, every session of the user ends.
 */
export async function resetPasswordCommand(runtime: Runtime, argv: string[]): Promise<string> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { password: { type: 'string' } } });
  const email = positionals[0]?.trim().toLowerCase();
  if (!email || positionals.length > 1) throw new Error('usage: voice-lb reset-password <email> [--password P]');
  const password = values.password ?? process.env.NEW_USER_PASSWORD;
  return runtime.services.passwords.operatorReset(email, password, operatorBaseUrl(runtime));
}
