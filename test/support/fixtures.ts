import { uniqueSuffix } from './actors.js';
import type { TestApp } from './test-app.js';

let numberSeq = 1000;

/** Creates a voice agent through the API and returns its id. */
export async function createAgent(t: TestApp, token: string, over: Record<string, unknown> = {}): Promise<number> {
  numberSeq += 1;
  const res = await t.request({
    method: 'POST',
    url: '/api/voice-agents',
    token,
    payload: { name: `Agent ${uniqueSuffix()}`, provider: 'vapi', service_value: `+1212555${String(numberSeq).padStart(4, '0')}`, ...over },
  });
  if (res.statusCode !== 201) throw new Error(`create agent failed: ${res.statusCode} ${res.body}`);
  return res.json<{ id: number }>().id;
}

/** Creates a group with the given members ({agent_id, priority?, capacity?}) and returns its id. */
export async function createGroup(
  t: TestApp,
  token: string,
  strategy: 'round_robin' | 'priority' | 'load_balanced' | 'least_live',
  members: { agent_id: number; priority?: number; capacity?: number }[],
  settings: Record<string, unknown> = {},
): Promise<number> {
  const res = await t.request({ method: 'POST', url: '/api/agent-groups', token, payload: { name: `Group ${uniqueSuffix()}`, strategy, settings } });
  if (res.statusCode !== 201) throw new Error(`create group failed: ${res.statusCode} ${res.body}`);
  const id = res.json<{ id: number }>().id;
  for (const m of members) {
    const added = await t.request({ method: 'POST', url: `/api/agent-groups/${id}/members`, token, payload: m });
    if (added.statusCode !== 201) throw new Error(`add member failed: ${added.statusCode} ${added.body}`);
  }
  return id;
}

/** Creates an inbound routing rule (pattern, target_type, target_id, priority?, ...) and returns its id. */
export async function createInboundRule(
  t: TestApp,
  token: string,
  rule: { pattern: string; target_type: 'agent' | 'group'; target_id: number; priority?: number; name?: string | null; enabled?: boolean },
): Promise<number> {
  const res = await t.request({ method: 'POST', url: '/api/inbound-routing-rules', token, payload: rule });
  if (res.statusCode !== 201) throw new Error(`create inbound rule failed: ${res.statusCode} ${res.body}`);
  return res.json<{ id: number }>().id;
}
