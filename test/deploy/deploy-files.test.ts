import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configSchema, parseConfig } from '../../src/core/config.js';
import { DIALECTS } from '../support/backends.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * What an operator relies on in deploy/ and the Dockerfile, checked without a container runtime:
 * the compose environment is one the service accepts, the start order, the proxy's health check,
 * the image's user, volume and health check, and a dashboard that queries metrics that exist.
 */
const root = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

type Yaml = Record<string, unknown>;
const asMap = (v: unknown): Yaml => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Yaml) : {});

function parseYaml(path: string): Yaml {
  // Compose files share settings through YAML merge keys (`<<: *app`).
  return asMap(parse(read(path), { merge: true }));
}

/** KEY=value lines of an env file (comments and blank lines skipped). */
function parseEnvFile(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) vars.set(m[1]!, m[2]!);
  }
  return vars;
}

/** The variables a compose file interpolates (`${NAME}`, `${NAME:-default}`, `${NAME:?error}`); `$$` is a literal `$`. */
function referencedVariables(text: string): Set<string> {
  return new Set([...text.replace(/\$\$/g, '').matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!));
}

class MissingVariable extends Error {}

/** Compose's interpolation, for the forms the deploy files use. */
function interpolate(value: unknown, env: Map<string, string>): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\$|\$\{([A-Z][A-Z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (all, name: string | undefined, op: string | undefined, arg: string | undefined) => {
      if (all === '$$') return '$';
      const v = env.get(name!);
      const empty = v === undefined || (op?.startsWith(':') === true && v === '');
      if (op?.endsWith('?') && empty) throw new MissingVariable(`${name}: ${arg}`);
      if (op?.endsWith('-') && empty) return arg ?? '';
      return v ?? '';
    });
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, env));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env)]));
  return value;
}

/** Compose's merge of an override file: mappings merge key by key, anything else is replaced. */
function mergeCompose(base: unknown, over: unknown): unknown {
  if (over === null || typeof over !== 'object' || Array.isArray(over) || base === null || typeof base !== 'object' || Array.isArray(base)) return over;
  const out: Yaml = { ...(base as Yaml) };
  for (const [k, v] of Object.entries(over)) out[k] = k in out ? mergeCompose(out[k], v) : v;
  return out;
}

const envExample = parseEnvFile(read('deploy/.env.example'));
const composeText = read('deploy/compose.yaml');
const mariadbText = read('deploy/compose.mariadb.yaml');
const compose = parseYaml('deploy/compose.yaml');
const mariadb = parseYaml('deploy/compose.mariadb.yaml');
const services = (file: Yaml) => asMap(file.services);
const APP_SERVICES = ['app1', 'app2'];
const SERVICE_ENV = [...APP_SERVICES, 'migrate'];

/** Variables compose refuses to run without (`${NAME:?…}`). */
const required = new Set([...`${composeText}${mariadbText}`.matchAll(/\$\{([A-Z][A-Z0-9_]*):\?/g)].map((m) => m[1]!));

/** deploy/.env as an operator fills it: each required secret generated, optional ones as given. */
function filledEnv(optional: Record<string, string> = {}): Map<string, string> {
  const filled = new Map(envExample);
  for (const k of required) if (filled.get(k) === '') filled.set(k, randomBytes(k === 'APP_KEY' ? 32 : 24).toString('hex'));
  for (const [k, v] of Object.entries(optional)) filled.set(k, v);
  return filled;
}

function environmentOf(file: Yaml, service: string, env: Map<string, string>): Record<string, string> {
  const e = asMap(asMap(interpolate(services(file)[service], env)).environment);
  return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, String(v)]));
}

describe('deploy/compose.yaml and its environment', () => {
  it('documents in .env.example every variable the compose files interpolate, and nothing they do not use', () => {
    const used = new Set([...referencedVariables(composeText), ...referencedVariables(mariadbText)]);
    expect([...used].filter((v) => !envExample.has(v)), 'used but not in .env.example').toEqual([]);
    expect([...envExample.keys()].filter((v) => !used.has(v)), 'in .env.example but unused').toEqual([]);
  });

  it('ships no secret: the example leaves each one empty, and compose refuses to start until it is set', () => {
    expect([...required].sort()).toEqual(['APP_KEY', 'DB_PASSWORD', 'METRICS_TOKEN', 'MINIO_ROOT_PASSWORD', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY']);
    for (const secret of ['APP_KEY', 'DB_PASSWORD', 'METRICS_TOKEN', 'MINIO_ROOT_PASSWORD', 'S3_SECRET_ACCESS_KEY']) {
      expect(envExample.get(secret), secret).toBe('');
      const env = filledEnv();
      env.set(secret, '');
      expect(() => interpolate(compose, env), secret).toThrow(MissingVariable);
    }
  });

  it('gives the instances and the migration step only settings the service reads, and the service accepts them', () => {
    const known = new Set(Object.keys(configSchema.shape));
    const asExample = filledEnv();
    const withOptions = filledEnv({ PUBLIC_URL: 'https://lb.example.org', SMTP_URL: 'smtp://mailer:secret@mail.example.org:587', LOG_LEVEL: 'debug', SIGNUP: 'closed' });
    for (const [name, file] of [['postgres', compose], ['mariadb', mergeCompose(compose, mariadb) as Yaml]] as const) {
      for (const [service, filled] of SERVICE_ENV.flatMap((svc) => [[svc, asExample], [svc, withOptions]] as const)) {
        const env = environmentOf(file, service, filled);
        expect(Object.keys(env).filter((k) => !known.has(k)), `${name}/${service}: unknown settings`).toEqual([]);
        const config = parseConfig(env);
        expect(config.databaseUrl, `${name}/${service}`).toMatch(name === 'postgres' ? /^postgres:\/\/voicelb:[0-9a-f]+@db:5432\/voice_lb$/ : /^mysql:\/\/voicelb:[0-9a-f]+@db:3306\/voice_lb$/);
        // Behind the proxy: client addresses (allowlists, rate limits) come from X-Forwarded-For.
        expect(config.trustProxy).toBe(true);
        expect(config.redisUrl).toBe('redis://redis:6379/0');
        expect(config.s3).toMatchObject({ bucket: 'voice-lb-exports', endpoint: 'http://minio:9000', forcePathStyle: true });
        expect(config.metrics.token).toMatch(/^[0-9a-f]{48}$/);
      }
    }
  });

  it('runs the migration once, to completion, before any instance starts; the instances share one key', () => {
    const s = services(compose);
    const migrate = asMap(s.migrate);
    expect(migrate.command).toEqual(['node', 'dist/cli/main.js', 'migrate']);
    expect(migrate.restart).toBe('no');
    expect(asMap(asMap(migrate.depends_on).db).condition).toBe('service_healthy');
    for (const app of APP_SERVICES) {
      expect(asMap(asMap(asMap(s[app]).depends_on).migrate).condition, app).toBe('service_completed_successfully');
      expect(asMap(s[app]).command, `${app} runs the image's CMD (serve)`).toBeUndefined();
      expect(asMap(s[app]).read_only, app).toBe(true);
    }
    const env = filledEnv();
    const keys = SERVICE_ENV.map((svc) => environmentOf(compose, svc, env).APP_KEY);
    expect(new Set(keys).size).toBe(1);
  });

  it('the MariaDB variant swaps the database server and keeps the service name the others depend on', () => {
    const merged = asMap(mergeCompose(compose, mariadb));
    const db = asMap(services(merged).db);
    expect(String(db.image)).toMatch(/^mariadb:/);
    expect(asMap(db.healthcheck).test).toContain('healthcheck.sh');
    expect(asMap(services(mariadb)).migrate, 'the migration step must use the MariaDB URL too').toBeDefined();
  });

  it('puts the proxy in front of every instance, health-checking /ready and trying the next one when a connection fails', () => {
    const caddyfile = read('deploy/Caddyfile').replace(/#.*$/gm, '');
    const upstreams = /reverse_proxy\s+([^{]+)\{/.exec(caddyfile)?.[1]?.trim().split(/\s+/);
    expect(upstreams).toEqual(APP_SERVICES.map((a) => `${a}:3000`));
    expect(caddyfile).toMatch(/health_uri\s+\/ready\b/);
    expect(caddyfile).toMatch(/lb_try_duration\s+\d+s/);
    expect(caddyfile, '/metrics stays off the public port').toMatch(/respond\s+\/metrics\s+404/);
    const proxy = asMap(services(compose).proxy);
    expect(proxy.volumes).toContain('./Caddyfile:/etc/caddy/Caddyfile:ro');
  });

  it('Prometheus scrapes every instance on its metrics port with the token compose writes for it', () => {
    const env = environmentOf(compose, 'app1', filledEnv());
    const port = env.METRICS_LISTEN!.split(':').pop();
    const prom = parseYaml('deploy/prometheus/prometheus.yml');
    const job = asMap((prom.scrape_configs as unknown[])[0]);
    const targets = (job.static_configs as { targets: string[] }[]).flatMap((c) => c.targets);
    expect(targets).toEqual(APP_SERVICES.map((a) => `${a}:${port}`));
    const credentials = String(asMap(job.authorization).credentials_file);
    const prometheus = asMap(services(compose).prometheus);
    expect(prometheus.profiles).toEqual(['monitoring']);
    expect(JSON.stringify(prometheus.command)).toContain(credentials);
    expect(asMap(services(compose).grafana).profiles).toEqual(['monitoring']);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile').replace(/\\\n/g, ' ');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages.at(-1)!;
  const instruction = (name: string) => [...runtime.matchAll(new RegExp(`^${name}\\s+(.+)$`, 'gm'))].map((m) => m[1]!.trim());

  it('runs `serve` as a non-root user, with DATA_DIR as a volume and a health check on /up', () => {
    const user = instruction('USER').at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    const dataDir = /DATA_DIR=(\S+)/.exec(instruction('ENV').join(' '))?.[1];
    expect(dataDir).toBeDefined();
    expect(instruction('VOLUME').join(' ')).toContain(`"${dataDir}"`);
    expect(instruction('HEALTHCHECK').join(' ')).toMatch(/CMD .*\/up\b/);
    const port = /PORT=(\d+)/.exec(instruction('ENV').join(' '))?.[1];
    expect(instruction('EXPOSE')).toContain(port);
  });

  it("starts `serve` with npm start's Node flags (the young generation's size), as the README's scaled start does", () => {
    const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start!;
    const flags = /\bnode((?:\s+--\S+)*)\s+dist\/cli\/main\.js serve\b/.exec(start)?.[1]?.trim().split(/\s+/) ?? [];
    expect(flags).toContain('--max-semi-space-size=64');
    expect(JSON.parse(instruction('CMD').at(-1)!)).toEqual(['node', ...flags, 'dist/cli/main.js', 'serve']);
    expect(read('README.md')).toContain(`node ${flags.join(' ')} dist/cli/main.js serve`);
  });

  it('ships production dependencies only, no compilers, and no secret', () => {
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(runtime).not.toMatch(/apt-get install|g\+\+|python3/);
    expect(runtime).toMatch(/COPY --from=prod-deps .*node_modules/);
    expect(dockerfile).not.toMatch(/^\s*(ENV|ARG)\s+(APP_KEY|METRICS_TOKEN|DATABASE_URL|S3_SECRET_ACCESS_KEY)/m);
    const ignore = read('.dockerignore');
    for (const kept of ['**/data', '**/.env', '**/node_modules']) expect(ignore).toContain(kept);
  });

  it('deploy/try-image.sh, which builds and runs it with podman, is valid bash', () => {
    const check = spawnSync('bash', ['-n', join(root, 'deploy/try-image.sh')], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });
});

/** The metric names a dashboard query reads (histogram series map to their metric). */
function queriedMetrics(expr: string): string[] {
  const withoutLabels = expr.replace(/\{[^}]*\}/g, '').replace(/\[[^\]]*\]/g, '');
  const names = [...withoutLabels.matchAll(/\b((?:vlb|http|process|nodejs)_[a-z0-9_]+)\b/g)].map((m) => m[1]!);
  return names.map((n) => n.replace(/_(bucket|sum|count)$/, ''));
}

describe('Grafana dashboard', () => {
  const dashboard = JSON.parse(read('deploy/grafana/dashboards/voice-lb.json')) as { uid: string; panels: { type: string; targets?: { expr: string }[] }[] };
  const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
  const queried = new Set(exprs.flatMap(queriedMetrics));
  let t: TestApp;
  const token = randomBytes(24).toString('hex');
  beforeAll(async () => {
    t = await createTestApp(DIALECTS[0]!, { METRICS_TOKEN: token });
  });
  afterAll(async () => t?.close());

  it('charts every call metric of the contract', () => {
    const contract = ['vlb_routing_decisions_total', 'vlb_calls_ended_total', 'vlb_fallbacks_total', 'vlb_failovers_total', 'vlb_routing_decision_seconds', 'vlb_live_calls', 'vlb_agent_capacity', 'vlb_webhooks_total', 'vlb_export_jobs_total', 'vlb_plane_errors_total', 'vlb_plane_degraded', 'vlb_database_errors_total', 'vlb_ready', 'http_requests_total', 'http_request_duration_seconds'];
    expect(contract.filter((m) => !queried.has(m))).toEqual([]);
  });

  it('queries only metrics the service exports, and the proxy\'s /ready exists', async () => {
    const res = await t.request({ method: 'GET', url: '/metrics', token });
    expect(res.statusCode).toBe(200);
    const exported = new Set([...res.body.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
    expect([...queried].filter((m) => !exported.has(m)), 'queried but not exported').toEqual([]);
    expect((await t.request({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
  });

  it('is provisioned with the Prometheus data source compose starts', () => {
    const ds = asMap((parseYaml('deploy/grafana/provisioning/datasources/prometheus.yaml').datasources as unknown[])[0]);
    expect(ds.type).toBe('prometheus');
    expect(ds.url).toBe('http://prometheus:9090');
    const provider = asMap((parseYaml('deploy/grafana/provisioning/dashboards/voice-lb.yaml').providers as unknown[])[0]);
    const grafana = asMap(services(compose).grafana);
    expect(grafana.volumes).toContain(`./grafana/dashboards:${String(asMap(provider.options).path)}:ro`);
  });
});
