/** What a person needs from a DATABASE_URL or REDIS_URL to act on it; never the password. */
export interface Endpoint {
  engine: 'MariaDB/MySQL' | 'PostgreSQL' | 'SQLite' | 'Redis';
  host: string;
  port: number;
  user: string;
  /** Database name (or the SQLite file path). */
  database: string;
  /** The URL with its password replaced by ********, fit to print. */
  masked: string;
}

const DEFAULT_PORTS = { 'MariaDB/MySQL': 3306, PostgreSQL: 5432, SQLite: 0, Redis: 6379 } as const;

/** `scheme://user:secret@host` → `scheme://user:********@host` (an empty user too, as Redis URLs have). */
export function maskUrlPassword(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:********@');
}

function engineOf(url: string): Endpoint['engine'] | undefined {
  if (/^(mysql|mariadb):/i.test(url)) return 'MariaDB/MySQL';
  if (/^postgres(ql)?:/i.test(url)) return 'PostgreSQL';
  if (/^(sqlite|file):/i.test(url)) return 'SQLite';
  if (/^rediss?:/i.test(url)) return 'Redis';
  return undefined;
}

/** Host, port, user and database of a connection URL; undefined when it is not one we know. */
export function endpointOf(url: string): Endpoint | undefined {
  const engine = engineOf(url);
  if (!engine) return undefined;
  const masked = maskUrlPassword(url);
  if (engine === 'SQLite') return { engine, host: '', port: 0, user: '', database: url.replace(/^(sqlite|file):(\/\/)?/i, ''), masked };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  return {
    engine,
    host: parsed.hostname.replace(/^\[|\]$/g, '') || 'localhost',
    port: parsed.port ? Number(parsed.port) : DEFAULT_PORTS[engine],
    user: decodeURIComponent(parsed.username),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')),
    masked,
  };
}

/** `host:port`, IPv6 hosts in brackets. */
export function hostPort(endpoint: Pick<Endpoint, 'host' | 'port'>): string {
  return `${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`;
}
