import { afterAll, beforeAll } from 'vitest';
import { startFakeCloudonix, type FakeCloudonix } from '../support/fake-cloudonix-api.js';
import { browserSuite, type BrowserSuite, type FirstTenant } from './browser-suite.js';

export interface FakeCloudonixSuite {
  suite: BrowserSuite;
  /** The fake, once the suite's beforeAll has started it. */
  fake(): FakeCloudonix;
}

/**
 * A browser suite whose service talks to a local fake of the Cloudonix REST API holding the
 * tenant's domain (CLOUDONIX_API_URL at it). Browser steps have their own timeouts, so both
 * sides' 10 per 10 s limit is raised here; the limit has its own HTTP and client tests.
 */
export function fakeCloudonixSuite(firstTenant: FirstTenant, profile: Record<string, unknown> = {}): FakeCloudonixSuite {
  let fake: FakeCloudonix | undefined;
  beforeAll(async () => {
    fake = await startFakeCloudonix();
    fake.domains.add(firstTenant.domain, { profile });
    fake.setRateLimit(1000, 10_000);
  });
  afterAll(async () => {
    await fake?.close();
  });
  const started = (): FakeCloudonix => {
    if (!fake) throw new Error('the fake Cloudonix starts in beforeAll');
    return fake;
  };
  const suite = browserSuite({ firstTenant, ignoreWebSocket: true, env: () => ({ CLOUDONIX_API_URL: started().url, CLOUDONIX_API_RATE_LIMIT: '1000' }) });
  return { suite, fake: started };
}
