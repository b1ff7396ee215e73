import { maskUrlSecrets } from '../mask.js';
import type { SetupPlan } from './setup-plan.js';

/** A webhook-wiring problem (core/lifecycle/webhook-wiring.ts): an endpoint whose webhooks stopped or never came. */
export interface WiringEvidence {
  setting: 'session-update-endpoint' | 'cdr-endpoint';
}

/**
 * "Check wiring" in sentences: what keeps the domain from sending us every call's
 * story, each thing once. The plan's out-of-sync steps say what setup changes; the
 * webhook evidence adds only what the domain's settings cannot explain (they are
 * right, yet nothing came), so a person is not told to paste what is already there.
 */
export function setupMissing(input: { plan: SetupPlan; domainName: string; voiceUrl: string; urlsProblem: string | null; wiring: readonly WiringEvidence[] }): string[] {
  const { plan } = input;
  const out: string[] = [];
  if (!plan.domainFound) {
    out.push(`Cloudonix has no domain ${input.domainName} for this API key: the tenant's domain must be the Cloudonix domain the key was made in.`);
  }
  if (input.urlsProblem !== null) out.push(`Our voice URL ${maskUrlSecrets(input.voiceUrl)} ${input.urlsProblem}`);
  for (const step of plan.steps) if (step.action !== 'none') out.push(step.words);
  if (!plan.domainFound) return out;
  for (const problem of input.wiring) {
    const item = problem.setting === 'cdr-endpoint' ? 'cdr_endpoint' : 'session_update_endpoint';
    if (plan.steps.find((s) => s.item === item)?.action !== 'none') continue;
    const what = problem.setting === 'cdr-endpoint' ? 'CDR' : 'session update';
    out.push(
      `The domain has our ${what} endpoint, yet no ${what} came for the latest calls: if it was just set, the next call will tell; otherwise check that Cloudonix can reach this service at that URL.`,
    );
  }
  return out;
}
