import { describe, expect, it } from 'vitest';
import { ConfigError, decodeAppKey, parseConfig } from '../../src/core/config.js';

const KEY = 'a'.repeat(64);

function problems(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('configuration', () => {
  it('has working defaults for the embedded mode', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({ port: 3000, host: '0.0.0.0', dataDir: './data', databaseUrl: undefined, redisUrl: undefined, appKey: undefined, logLevel: 'info', trustProxy: false, tokenTtlDays: 30, corsOrigins: [] });
  });

  it('treats empty variables as unset', () => {
    expect(parseConfig({ PORT: '', REDIS_URL: '  ' }).port).toBe(3000);
  });

  it('names the variable of every bad value', () => {
    expect(problems({ PORT: 'eighty' })[0]).toMatch(/^PORT:/);
    expect(problems({ PORT: '70000' })[0]).toMatch(/^PORT:/);
    expect(problems({ DATABASE_URL: 'oracle://x', APP_KEY: KEY })[0]).toMatch(/^DATABASE_URL:/);
    expect(problems({ REDIS_URL: 'localhost:6379' })[0]).toMatch(/^REDIS_URL:/);
    expect(problems({ LOG_LEVEL: 'loud' })[0]).toMatch(/^LOG_LEVEL:/);
    expect(problems({ TRUST_PROXY: 'perhaps' })[0]).toMatch(/^TRUST_PROXY:/);
    expect(problems({ PUBLIC_URL: 'not a url' })[0]).toMatch(/^PUBLIC_URL:/);
    expect(problems({ APP_KEY: 'short' })[0]).toMatch(/^APP_KEY:/);
    expect(problems({ PORT: 'x', LOG_LEVEL: 'y' })).toHaveLength(2);
  });

  it('requires APP_KEY when DATABASE_URL is set', () => {
    expect(problems({ DATABASE_URL: 'postgres://u:p@h/db' })[0]).toMatch(/^APP_KEY: required/);
    expect(parseConfig({ DATABASE_URL: 'postgres://u:p@h/db', APP_KEY: KEY }).appKey?.length).toBe(32);
  });

  it('accepts APP_KEY as hex or base64 of 32 bytes', () => {
    const bytes = Buffer.alloc(32, 7);
    expect(decodeAppKey(bytes.toString('hex'))).toEqual(bytes);
    expect(decodeAppKey(bytes.toString('base64'))).toEqual(bytes);
    expect(decodeAppKey(`base64:${bytes.toString('base64')}`)).toEqual(bytes);
    expect(decodeAppKey(Buffer.alloc(16).toString('base64'))).toBeUndefined();
  });

  it('normalises PUBLIC_URL and CORS_ORIGINS', () => {
    const c = parseConfig({ PUBLIC_URL: 'https://lb.example.org/', CORS_ORIGINS: 'https://a.example, https://b.example' });
    expect(c.publicUrl).toBe('https://lb.example.org');
    expect(c.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  });

  it('reads the Cloudonix REST API URL (the real one by default) and its per-domain rate', () => {
    expect(parseConfig({}).cloudonixApiUrl).toBe('https://api.cloudonix.io');
    expect(parseConfig({}).cloudonixRequestsPer10s).toBe(10);
    expect(parseConfig({ CLOUDONIX_API_URL: 'http://127.0.0.1:4010/', CLOUDONIX_API_RATE_LIMIT: '5' })).toMatchObject({ cloudonixApiUrl: 'http://127.0.0.1:4010', cloudonixRequestsPer10s: 5 });
    expect(problems({ CLOUDONIX_API_URL: 'ftp://api.cloudonix.io' })[0]).toMatch(/^CLOUDONIX_API_URL:/);
    expect(problems({ CLOUDONIX_API_RATE_LIMIT: '0' })[0]).toMatch(/^CLOUDONIX_API_RATE_LIMIT:/);
  });

  it('reads the operations switches: METRICS_TOKEN, METRICS_LISTEN and DOCS', () => {
    expect(parseConfig({}).metrics).toEqual({ token: undefined, listen: undefined });
    expect(parseConfig({}).docs).toBe(true);
    expect(parseConfig({ DOCS: 'off' }).docs).toBe(false);
    expect(parseConfig({ METRICS_LISTEN: '127.0.0.1:9464' }).metrics.listen).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseConfig({ METRICS_LISTEN: '[::1]:9464' }).metrics.listen).toEqual({ host: '::1', port: 9464 });
    expect(problems({ METRICS_TOKEN: 'short' })[0]).toMatch(/^METRICS_TOKEN:/);
    expect(problems({ METRICS_LISTEN: '9464' })[0]).toMatch(/^METRICS_LISTEN:/);
    expect(problems({ METRICS_LISTEN: 'localhost:99999' })[0]).toMatch(/^METRICS_LISTEN:/);
    expect(problems({ DOCS: 'maybe' })[0]).toMatch(/^DOCS:/);
  });
});
