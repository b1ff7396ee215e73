import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sequenceFile, type SequenceFile } from '../../src/cli/sequence-file.js';
import type { ReplaySender } from '../../src/cli/sequence-replay.js';
import type { TenantActors } from './actors.js';
import { createAgent, createGroup, createInboundRule } from './fixtures.js';
import type { TestApp } from './test-app.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/cloudonix');

/** Every recorded sequence of test/fixtures/cloudonix, parsed (a malformed file fails loudly). */
export function loadSequences(): { file: string; sequence: SequenceFile }[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, sequence: sequenceFile.parse(JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'))) }));
}

/** Sends a replayed request through the app, as Cloudonix would over HTTP. */
export function injectSender(t: TestApp): ReplaySender {
  return async (r) => {
    const res = await t.app.inject({ method: r.method, url: r.path, headers: r.headers, ...(r.body === undefined ? {} : { payload: r.body }) });
    return { status: res.statusCode, body: res.body };
  };
}

export interface SetUpSequence {
  /** Setup key → agent id. */
  agents: Record<string, number>;
  /** Setup key → what its answer shows: its number, or its WebSocket URL up to the first placeholder. */
  targets: Record<string, string>;
}

/** Creates the sequence's agents, group, rules and tenant settings through the API. */
export async function setUpSequence(t: TestApp, a: TenantActors, s: SequenceFile): Promise<SetUpSequence> {
  const agents: Record<string, number> = {};
  const targets: Record<string, string> = {};
  const setup = s.setup;
  if (!setup) return { agents, targets };
  for (const agent of setup.agents) {
    agents[agent.key] = await createAgent(t, a.admin.token, { name: `Agent ${agent.key}`, provider: agent.provider, service_value: agent.service_value, ...(agent.max_concurrent_calls !== undefined ? { max_concurrent_calls: agent.max_concurrent_calls } : {}), ...(agent.dial_options !== undefined ? { dial_options: agent.dial_options } : {}) });
    targets[agent.key] = agent.service_value.split('{')[0]!;
  }
  const keyId = (key: string) => {
    const id = agents[key];
    if (id === undefined) throw new Error(`${s.name}: no agent ${key} in setup`);
    return id;
  };
  let target: { target_type: 'agent' | 'group'; target_id: number } = { target_type: 'agent', target_id: keyId(setup.agents[0]!.key) };
  if (setup.group) {
    const members = setup.group.members.map((key, i) => ({ agent_id: keyId(key), priority: i + 1 }));
    target = { target_type: 'group', target_id: await createGroup(t, a.admin.token, setup.group.strategy, members, setup.group.settings ?? {}) };
  }
  if (setup.rule) await createInboundRule(t, a.admin.token, { pattern: setup.rule, ...target });
  if (setup.outbound_rule) {
    const r = setup.outbound_rule;
    const res = await t.request({ method: 'POST', url: '/api/outbound-routing-rules', token: a.admin.token, payload: { name: 'Out', caller_id: r.caller_id, destination_pattern: r.destination_pattern, trunk_config: { trunks: r.trunks } } });
    if (res.statusCode !== 201) throw new Error(`outbound rule: ${res.statusCode} ${res.body}`);
  }
  if (setup.tenant_settings) {
    const res = await t.request({ method: 'PUT', url: '/api/tenant', token: a.admin.token, payload: { settings: setup.tenant_settings } });
    if (res.statusCode !== 200) throw new Error(`tenant settings: ${res.statusCode} ${res.body}`);
  }
  return { agents, targets };
}
