import { describe, expect, it } from 'vitest';
import { endpointOf, maskUrlPassword } from '../../src/cli/connection-url.js';
import { isLoopbackHost, localUrl, publicUrlWarning, startUpSummary, type StartUpFacts } from '../../src/cli/start-up-summary.js';
import { requestLogLevel } from '../../src/http/plugins/request-log.js';

const embedded: StartUpFacts = {
  host: '0.0.0.0',
  port: 3000,
  publicUrl: undefined,
  databaseUrl: 'sqlite:/srv/lb/data/voice-lb.sqlite',
  redisUrl: undefined,
  webUi: true,
  docs: true,
  metrics: 'not served (set METRICS_TOKEN or METRICS_LISTEN)',
  logLevel: 'info',
  signup: 'first',
  hasTenant: false,
  appKey: { kind: 'file', path: '/srv/lb/data/app.key', created: true },
  cli: 'node dist/cli/main.js',
};
const text = (facts: Partial<StartUpFacts>) => startUpSummary({ ...embedded, ...facts }).join('\n');

describe('start-up summary', () => {
  it('a first embedded run: where to open (all interfaces), embedded SQLite, register, and the new key to back up', () => {
    const out = text({});
    expect(out).toMatch(/^Voice agent load balancer ready\n/);
    expect(out).toContain('Open:      http://localhost:3000 (listening on all interfaces, port 3000)');
    expect(out).toContain('Mode:      embedded');
    expect(out).toContain('Database:  SQLite at /srv/lb/data/voice-lb.sqlite');
    expect(out).toContain('First run: no tenant yet: open http://localhost:3000/register');
    expect(out).toContain('Back up:   /srv/lb/data/app.key was created just now');
    expect(out).toContain('API docs:  http://localhost:3000/docs');
    expect(out).not.toContain('UI:');
  });

  it('a later run: no first-run line, the key in one line', () => {
    const out = text({ hasTenant: true, appKey: { kind: 'file', path: '/srv/lb/data/app.key', created: false } });
    expect(out).not.toContain('First run');
    expect(out).not.toContain('Back up');
    expect(out.split('\n').filter((l) => l.includes('app.key'))).toEqual(['  Key:       /srv/lb/data/app.key encrypts stored secrets: back it up with the database']);
  });

  it('SIGNUP=closed names the CLI command instead of the register page', () => {
    const out = text({ signup: 'closed' });
    expect(out).toContain('SIGNUP=closed');
    expect(out).toContain('node dist/cli/main.js create-tenant --domain');
    expect(out).not.toContain('/register');
  });

  it('scaled: PostgreSQL and Redis with their passwords masked; PUBLIC_URL is where to open', () => {
    const out = text({
      host: '10.0.0.5',
      publicUrl: 'https://lb.example.org',
      databaseUrl: 'postgres://lb:s3cret-pw@db.internal:5432/voice_lb',
      redisUrl: 'redis://:r3dis-pw@redis.internal:6379/0',
      appKey: { kind: 'env' },
      hasTenant: undefined,
      docs: false,
      webUi: false,
    });
    expect(out).toContain('Open:      https://lb.example.org   (PUBLIC_URL; from this machine: http://10.0.0.5:3000)');
    expect(out).toContain('Mode:      scaled (live call state shared in Redis at redis://:********@redis.internal:6379/0');
    expect(out).toContain('Database:  PostgreSQL at postgres://lb:********@db.internal:5432/voice_lb');
    expect(out).toContain('APP_KEY (environment)');
    expect(out).toContain('UI:        not built');
    expect(out).not.toMatch(/s3cret-pw|r3dis-pw|First run|API docs/);
  });

  it('a database without Redis is one instance; IPv6 hosts get brackets', () => {
    const out = text({ host: '::1', databaseUrl: 'mysql://lb:pw@db:3306/lb' });
    expect(out).toContain('Open:      http://[::1]:3000');
    expect(out).toContain('Mode:      one instance');
    expect(out).toContain('Database:  MariaDB/MySQL at mysql://lb:********@db:3306/lb');
  });
});

describe('the PUBLIC_URL warning at start-up', () => {
  it('is given only when PUBLIC_URL is unset and others can reach the service', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'lb.internal']) expect(publicUrlWarning(host, undefined), host).toContain('PUBLIC_URL is unset');
    for (const host of ['127.0.0.1', '127.0.1.1', '::1', '[::1]', 'localhost', 'LOCALHOST']) expect(publicUrlWarning(host, undefined), host).toBeUndefined();
    expect(publicUrlWarning('0.0.0.0', 'https://lb.example.org')).toBeUndefined();
  });

  it('loopback and local URLs', () => {
    expect(isLoopbackHost('10.0.0.1')).toBe(false);
    expect(localUrl('::', 8080)).toBe('http://localhost:8080');
    expect(localUrl('127.0.0.1', 8080)).toBe('http://127.0.0.1:8080');
  });
});

describe('connection URLs', () => {
  it('mask the password, keep what a person acts on', () => {
    expect(maskUrlPassword('postgres://u:p%40ss@h:1/d')).toBe('postgres://u:********@h:1/d');
    expect(maskUrlPassword('redis://h:6379')).toBe('redis://h:6379');
    expect(endpointOf('postgres://u:p@db/voice')).toMatchObject({ engine: 'PostgreSQL', host: 'db', port: 5432, user: 'u', database: 'voice' });
    expect(endpointOf('mariadb://u:p@[::1]:3307/x')).toMatchObject({ engine: 'MariaDB/MySQL', host: '::1', port: 3307 });
  });
});

describe('request log levels', () => {
  it('probes and scrapes at debug whatever their answer; 5xx warn; 4xx (not 429) and slow requests info; the rest debug', () => {
    expect(requestLogLevel('/up', 200, 1)).toBe('debug');
    expect(requestLogLevel('/ready', 503, 1)).toBe('debug');
    expect(requestLogLevel('/metrics', 401, 1)).toBe('debug');
    expect(requestLogLevel('/api/tenant', 500, 1)).toBe('warn');
    expect(requestLogLevel('/api/tenant', 404, 1)).toBe('info');
    expect(requestLogLevel(undefined, 404, 1)).toBe('info');
    expect(requestLogLevel('/api/auth/login', 429, 1)).toBe('debug');
    expect(requestLogLevel('/api/tenant', 200, 5)).toBe('debug');
    expect(requestLogLevel('/api/tenant', 304, 5)).toBe('debug');
    expect(requestLogLevel('/api/exports/:id/download', 200, 2500)).toBe('info');
  });
});
