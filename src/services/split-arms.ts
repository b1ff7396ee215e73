import type { Kysely } from 'kysely';
import { invalidFields } from '../core/errors.js';
import type { SplitArm, SplitArmView } from '../core/schemas/split.js';
import type { Repositories } from '../store/index.js';
import { readJson } from '../store/json-column.js';
import type { Database } from '../store/schema.js';

/** A stored rule's split arms (the JSON column), or null when it has none. */
export function storedArms(value: unknown): SplitArm[] | null {
  const arms = readJson<SplitArm[] | null>(value, null);
  return Array.isArray(arms) && arms.length > 0 ? arms : null;
}

async function targetName(repos: Repositories, tenantId: number, target: SplitArm['target'], trx: Kysely<Database>): Promise<string | null> {
  const row = target.type === 'agent' ? await repos.voiceAgents.findById(tenantId, target.id, trx) : await repos.agentGroups.findById(tenantId, target.id, trx);
  return row?.name ?? null;
}

/** The arms as the API shows them, with their targets' names (null once a target is gone). At most 10 arms: a read each. */
export function armViews(repos: Repositories, tenantId: number, arms: readonly SplitArm[], trx: Kysely<Database>): Promise<SplitArmView[]> {
  return Promise.all(arms.map(async (a) => ({ label: a.label, target: { type: a.target.type, id: a.target.id }, percent: a.percent, target_name: await targetName(repos, tenantId, a.target, trx) })));
}

/** 422 naming the arm unless every arm's target is an agent or group of this tenant (another tenant's looks the same as none). */
export async function assertArmTargets(repos: Repositories, tenantId: number, arms: readonly SplitArm[], trx: Kysely<Database>): Promise<void> {
  const fields: Record<string, string[]> = {};
  for (const [i, arm] of arms.entries()) {
    if ((await targetName(repos, tenantId, arm.target, trx)) === null) fields[`split.${i}.target.id`] = [`no such ${arm.target.type === 'agent' ? 'voice agent' : 'agent group'} in this tenant`];
  }
  if (Object.keys(fields).length > 0) throw invalidFields(fields);
}
