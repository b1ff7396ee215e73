import { endpointOf, hostPort, type Endpoint } from './connection-url.js';

/** A start-up failure said for a person at a terminal: what is wrong, then the fix. */
export class StartUpError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartUpError';
  }
}

interface Failure {
  code: string | undefined;
  message: string;
  path: string | undefined;
}

/** The error and its causes (drivers wrap, Kysely's migrator wraps, Node wraps in AggregateError), outermost first. */
function failuresOf(err: unknown, depth = 0): Failure[] {
  if (depth > 5 || typeof err !== 'object' || err === null) return [];
  const e = err as { code?: unknown; message?: unknown; path?: unknown; cause?: unknown; errors?: unknown };
  const own: Failure = {
    code: typeof e.code === 'string' ? e.code : undefined,
    message: typeof e.message === 'string' ? e.message : '',
    path: typeof e.path === 'string' ? e.path : undefined,
  };
  const nested = Array.isArray(e.errors) ? e.errors.flatMap((x: unknown) => failuresOf(x, depth + 1)) : [];
  return [own, ...failuresOf(e.cause, depth + 1), ...nested];
}

const UNREACHABLE = new Set(['ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET']);
const FILE_PROBLEMS = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST', 'ENOENT', 'SQLITE_CANTOPEN', 'SQLITE_READONLY']);

function databaseHint(codes: Set<string>, db: Endpoint): string | undefined {
  const where = `${db.engine} at ${hostPort(db)}`;
  const url = `DATABASE_URL (${db.masked})`;
  if (codes.has('ECONNREFUSED')) return `Nothing answers at ${hostPort(db)}: is the ${db.engine} server running there? Check the host and port in ${url}.`;
  if (codes.has('ENOTFOUND') || codes.has('EAI_AGAIN')) return `The host "${db.host}" is not found: check the host name in ${url}.`;
  if ([...UNREACHABLE].some((c) => codes.has(c))) return `No answer from ${where}: is the server running, and may this machine reach that port (firewall, network)? ${url}.`;
  if (codes.has('ER_BAD_DB_ERROR') || codes.has('3D000')) return createDatabaseHint(`The database "${db.database}" does not exist on ${where}.`, db);
  if (codes.has('ER_DBACCESS_DENIED_ERROR')) return createDatabaseHint(`The user "${db.user}" may not use the database "${db.database}" on ${where}, or it does not exist.`, db);
  if (codes.has('ER_ACCESS_DENIED_ERROR') || codes.has('28P01') || codes.has('28000')) {
    return `${where} refused the user "${db.user}": check the user and password in ${url}${db.engine === 'PostgreSQL' ? ', and that pg_hba.conf lets this host in' : ''}.`;
  }
  if (codes.has('42501')) {
    return `The user "${db.user}" may not create tables in "${db.database}" on ${where}: use a database it owns (createdb -O ${db.user} ${db.database}) or, as its owner, GRANT CREATE ON SCHEMA public TO "${db.user}";`;
  }
  return undefined;
}

function createDatabaseHint(problem: string, db: Endpoint): string {
  if (db.engine === 'PostgreSQL') {
    return `${problem} Create it first: createdb -h ${db.host} -p ${db.port} -O ${db.user} ${db.database} (or in psql: CREATE DATABASE "${db.database}" OWNER "${db.user}";)`;
  }
  return (
    `${problem} Create it first, as an administrator: CREATE DATABASE \`${db.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci; ` +
    `GRANT ALL ON \`${db.database}\`.* TO '${db.user}'@'%';`
  );
}

/**
 * Says what to do about a failure to open the database (or DATA_DIR): create the database,
 * start the server, fix the user or password (the password itself is never printed). Returns
 * a StartUpError that keeps the original as its cause, or the error unchanged when there is
 * nothing better to say.
 */
export function explainStartUpError(err: unknown, databaseUrl: string, dataDir: string): unknown {
  if (err instanceof StartUpError) return err;
  const failures = failuresOf(err);
  const codes = new Set(failures.flatMap((f) => (f.code ? [f.code] : [])));
  const db = endpointOf(databaseUrl);
  const original = failures.find((f) => f.message)?.message.replace(/^migration \S+ failed: /, '') ?? String(err);
  let hint: string | undefined;
  if (db && db.engine !== 'SQLite') hint = databaseHint(codes, db);
  if (!hint && [...FILE_PROBLEMS].some((c) => codes.has(c))) {
    const path = failures.find((f) => f.path)?.path ?? (db?.engine === 'SQLite' ? db.database : dataDir);
    hint = `Cannot write ${path}: DATA_DIR (${dataDir}) and the database file must be in a folder this user may write.`;
  }
  return hint ? new StartUpError(`${original}\n  ${hint}`, { cause: err }) : err;
}
