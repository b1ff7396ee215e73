import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryPlane } from '../../src/plane/memory-plane.js';
import { createMetrics, type Metrics } from '../../src/services/call-metrics.js';
import { installLiveCallGauges } from '../../src/services/live-call-gauges.js';
import { createLogger } from '../../src/services/logger.js';
import { openStore, type Store } from '../../src/store/database.js';
import { createRepositories } from '../../src/store/index.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { parsePrometheusText, seriesOf } from '../support/prometheus-text.js';

describe('call metrics registry', () => {
  let dir: string;
  let store: Store;
  let metrics: Metrics;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vlb-metrics-'));
    store = openStore(`sqlite:${join(dir, 'db.sqlite')}`);
    await migrateToLatest(store);
    metrics = createMetrics();
    installLiveCallGauges({ registry: metrics.registry, repos: createRepositories(store), plane: createMemoryPlane(), calls: metrics.calls, clock: Date.now, logger: createLogger('silent') });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const scrape = async () => parsePrometheusText(await metrics.registry.metrics());

  it('counts per label set, reusing the resolved children', async () => {
    for (let i = 0; i < 3; i++) metrics.calls.decided('a.example', 7, 'agent', 0.002);
    metrics.calls.decided('a.example', null, 'rejected');
    metrics.calls.ended('a.example', 7, 'answered');
    metrics.calls.webhook('voice', 'accepted');
    const samples = await scrape();
    expect(seriesOf(samples, 'vlb_routing_decisions_total')).toEqual({ 'agent=7,result=agent,tenant=a.example': 3, 'agent=none,result=rejected,tenant=a.example': 1 });
    // Refusals are not decisions timed.
    expect(seriesOf(samples, 'vlb_routing_decision_seconds_count')).toEqual({ '': 3 });
    expect(seriesOf(samples, 'vlb_calls_ended_total')).toEqual({ 'agent=7,outcome=answered,tenant=a.example': 1 });
    // No tenants or agents yet: the gauges are empty, not an error.
    expect(seriesOf(samples, 'vlb_live_calls')).toEqual({});
    expect(seriesOf(samples, 'vlb_plane_degraded')).toEqual({ '': 0 });
    // Readiness is shown only when the process says where it comes from.
    expect(seriesOf(samples, 'vlb_ready')).toEqual({});
  });

  it('a scrape while the database is gone still answers, leaves the live gauges out and counts the failure', async () => {
    await store.close();
    expect(seriesOf(await scrape(), 'vlb_live_calls')).toEqual({});
    // Counters are read while the gauges read the agents: a scrape's own failure shows from the next one.
    const samples = await scrape();
    expect(seriesOf(samples, 'vlb_database_errors_total')).toEqual({ 'operation=scrape': 1 });
    expect(seriesOf(samples, 'vlb_routing_decisions_total')['agent=7,result=agent,tenant=a.example']).toBe(3);
  });
});
