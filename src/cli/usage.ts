/** Each command's help, printed by `voice-lb <command> --help` without opening anything. */
export const COMMAND_HELP = {
  serve: `usage: voice-lb serve

Applies pending database migrations, then serves the API, the Cloudonix webhooks and the admin UI on
one port, until SIGTERM or SIGINT. Set up by environment variables, not flags; the main ones:
  PORT (3000), HOST (0.0.0.0), DATA_DIR (./data), DATABASE_URL (SQLite file in DATA_DIR),
  REDIS_URL (unset: one instance), APP_KEY (generated into DATA_DIR/app.key when DATABASE_URL is unset),
  PUBLIC_URL, SIGNUP (first), LOG_LEVEL (info), METRICS_TOKEN, METRICS_LISTEN
All of them: README.md, "Configuration".`,
  migrate: `usage: voice-lb migrate

Applies pending database migrations and exits (serve also applies them at start). Uses DATABASE_URL,
or the SQLite file in DATA_DIR.`,
  'create-tenant': `usage: voice-lb create-tenant --domain D --email E [--name TENANT] [--admin-name N] [--password P]

Creates a tenant (its Cloudonix domain) and its first admin, whatever SIGNUP says. The password comes
from --password or NEW_USER_PASSWORD (out of shell history); without one, prints a single-use link
for the admin to set it.`,
  'create-user': `usage: voice-lb create-user --domain D --email E [--name N] [--role admin|analyst] [--password P]

Adds a user to the tenant of domain D (role admin by default). The password comes from --password or
NEW_USER_PASSWORD.`,
  'reset-password': `usage: voice-lb reset-password <email> [--password P]

Prints a single-use link to set a new password (or sets P, or NEW_USER_PASSWORD) and signs the user
out everywhere.`,
  retention: `usage: voice-lb retention

Deletes call data older than each tenant's retention_days now (serve also does it daily) and prints
what was removed.`,
  seed: `usage: voice-lb seed --domain D [--calls 1000] [--days 60] [--seed S]

Adds synthetic call records to the tenant of domain D, for demos and benchmarks.`,
} as const;

export type CommandName = keyof typeof COMMAND_HELP;

export function isCommand(name: string): name is CommandName {
  return Object.hasOwn(COMMAND_HELP, name);
}

export const USAGE = `usage: voice-lb <command> [options]     (from a checkout: npm run cli -- <command>)

commands:
  serve           migrate the database and serve the API, webhooks and UI (npm start runs this)
  migrate         apply pending database migrations and exit
  create-tenant   a tenant and its first admin, whatever SIGNUP says
  create-user     a user in a tenant
  reset-password  a single-use link to set a new password
  retention       delete call data older than each tenant's retention now
  seed            synthetic calls for demos and benchmarks
  help [command]  this help, or a command's (also: voice-lb <command> --help)

Settings come from environment variables (PORT, DATABASE_URL, REDIS_URL, APP_KEY, ...): README.md,
"Configuration". Exit status: 0 done, 1 failed, 2 usage error.`;

export type CommandLine =
  | { kind: 'run'; command: CommandName; args: string[] }
  /** Help asked for: printed on stdout, exit 0. */
  | { kind: 'help'; text: string }
  /** A mistake: printed on stderr with the usage, exit 2. */
  | { kind: 'usage-error'; text: string };

/** Commands whose settings are all environment variables. */
const NO_ARGUMENTS: ReadonlySet<CommandName> = new Set(['serve', 'migrate', 'retention']);

/**
 * What the command line asks for, decided before anything is opened: `--help` never
 * touches the database, and no command is a usage error rather than a server started
 * by accident in whatever folder the shell is in.
 */
export function readCommandLine(argv: readonly string[]): CommandLine {
  const [first, ...rest] = argv;
  if (first === undefined) return { kind: 'usage-error', text: `voice-lb: say which command to run (to serve: voice-lb serve)\n\n${USAGE}` };
  if (first === 'help' || first === '--help' || first === '-h') {
    const topic = rest[0];
    if (topic === undefined) return { kind: 'help', text: USAGE };
    return isCommand(topic) ? { kind: 'help', text: COMMAND_HELP[topic] } : { kind: 'usage-error', text: `voice-lb: no command "${topic}"\n\n${USAGE}` };
  }
  if (!isCommand(first)) {
    const what = first.startsWith('-') ? `unknown option "${first}"` : `unknown command "${first}"`;
    return { kind: 'usage-error', text: `voice-lb: ${what}\n\n${USAGE}` };
  }
  const beforeEnd = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (beforeEnd.includes('--help') || beforeEnd.includes('-h')) return { kind: 'help', text: COMMAND_HELP[first] };
  if (NO_ARGUMENTS.has(first) && rest.length > 0) {
    return { kind: 'usage-error', text: `voice-lb ${first}: takes no arguments (got "${rest[0]}"); its settings are environment variables\n\n${COMMAND_HELP[first]}` };
  }
  return { kind: 'run', command: first, args: rest };
}
