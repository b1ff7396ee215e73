import { setupMissing } from '../../core/cloudonix/setup-findings.js';
import { planDomainSetup, type DesiredSetup, type SetupItem, type SetupPlan } from '../../core/cloudonix/setup-plan.js';
import { AppError, notFound } from '../../core/errors.js';
import { maskUrlSecrets } from '../../core/mask.js';
import type { Actor } from '../../core/principal.js';
import type { SetupApplyInput, SetupApplyResult, SetupCheckView } from '../../core/schemas/cloudonix-setup.js';
import type { SecretBox } from '../../core/secret-box.js';
import { webhookUrlProblem } from '../../core/webhook-url-problem.js';
import type { Repositories } from '../../store/index.js';
import type { Clock } from '../clock.js';
import { readSettings, webhookUrlsFor } from '../tenant-service.js';
import type { WebhookWiring } from '../webhook-wiring.js';
import type { ConnectionService } from './connection-service.js';
import { CloudonixFailure, type CloudonixAccess, type CloudonixApi, type CloudonixApplication, type CloudonixDomain } from './cloudonix-api.js';
import { cloudonixFailureToAppError, explainCloudonixFailure } from './cloudonix-errors.js';

interface Deps {
  repos: Repositories;
  secretBox: SecretBox;
  api: CloudonixApi;
  /** The tenant's key (409 without one), and where setup records the application it made or adopted. */
  connection: Pick<ConnectionService, 'requireAccess' | 'storedApplicationId' | 'rememberSetup'>;
  wiring: WebhookWiring;
  clock: Clock;
}

/** What the domain has now, as read from Cloudonix: null domain when Cloudonix has none by that name. */
interface DomainState {
  domain: CloudonixDomain | null;
  applications: CloudonixApplication[];
}

/** How far carrying out a plan got (for the audit row when Cloudonix fails half-way). */
interface Progress {
  applicationId: number | null;
  items: SetupItem[];
}

/** Everything one check needs about the tenant: where its webhooks are, and the secret Cloudonix must send. */
interface TenantTarget {
  tenantId: number;
  domain: string;
  maxCallMinutes: number;
  desired: DesiredSetup;
  urlsProblem: string | null;
}

/**
 * One-click setup of a tenant's Cloudonix domain, and "check wiring": reads the domain and
 * its voice applications, plans (core/cloudonix/setup-plan.ts), and on apply carries the plan
 * out in as few requests as it can (Cloudonix allows 10 per 10 s per domain), then reads the
 * domain back and plans again: in sync means verified. Applying twice writes nothing the second
 * time. The webhook secret goes to Cloudonix and nowhere else: not in a view, an audit row or a log.
 */
export function createDomainSetup({ repos, secretBox, api, connection, wiring, clock }: Deps) {
  async function target(tenantId: number, baseUrl: string): Promise<TenantTarget> {
    const row = await repos.tenants.findById(tenantId);
    if (!row) throw notFound('Tenant');
    const secret = secretBox.open(row.webhook_secret_sealed);
    // The same URLs /api/tenant shows admins to paste by hand.
    const urls = webhookUrlsFor(baseUrl, row.domain, secret);
    return {
      tenantId,
      domain: row.domain,
      maxCallMinutes: readSettings(row).max_call_minutes,
      desired: {
        voiceUrl: urls.voice_application,
        sessionUpdateUrl: urls.session_update,
        cdrUrl: urls.cdr,
        authorizationKey: secret,
        applicationName: `voice-lb-${row.domain}`,
        applicationId: await connection.storedApplicationId(tenantId),
      },
      urlsProblem: webhookUrlProblem(urls.voice_application),
    };
  }

  /** Cloudonix's failures in words (cloudonix-errors.ts); ours pass through. */
  async function atCloudonix<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw explainCloudonixFailure(err);
    }
  }

  async function read(at: CloudonixAccess): Promise<DomainState> {
    return atCloudonix(async () => {
      let domain: CloudonixDomain | null;
      try {
        domain = await api.getDomain(at);
      } catch (err) {
        if (err instanceof CloudonixFailure && err.kind === 'not_found') return { domain: null, applications: [] };
        throw err;
      }
      return { domain, applications: await api.listApplications(at) };
    });
  }

  function plan(t: TenantTarget, state: DomainState, desired = t.desired): SetupPlan {
    return planDomainSetup({ domain: state.domain, domainName: t.domain, applications: state.applications, desired });
  }

  async function view(t: TenantTarget, p: SetupPlan): Promise<SetupCheckView> {
    const evidence = await wiring.check(t.tenantId, t.maxCallMinutes);
    const seen = (lastAt: string | null, ever: boolean) => ({ last_at: lastAt, ever });
    return {
      domain: t.domain,
      domain_found: p.domainFound,
      in_sync: p.inSync,
      steps: p.steps,
      missing: setupMissing({ plan: p, domainName: t.domain, voiceUrl: t.desired.voiceUrl, urlsProblem: t.urlsProblem, wiring: evidence.problems }),
      urls_problem: t.urlsProblem,
      received: {
        voice_application: seen(evidence.voice_application_at, evidence.received_ever.voice_application),
        session_update: seen(evidence.session_update_at, evidence.received_ever.session_update),
        cdr: seen(evidence.cdr_at, evidence.received_ever.cdr),
      },
    };
  }

  /** Carries out the plan: the application first (the domain's default needs its id), then one domain update. */
  async function carryOut(at: CloudonixAccess, t: TenantTarget, state: DomainState, p: SetupPlan, done: Progress): Promise<number> {
    const { changes } = p;
    let app = p.application;
    if (changes.application?.kind === 'create') {
      const { name, url, method } = changes.application;
      app = await api.createApplication(at, { name, url, method });
      // Found by id next time even if the domain update below fails.
      await connection.rememberSetup(t.tenantId, app.id, clock());
    } else if (changes.application?.kind === 'update') {
      const { id, url, method } = changes.application;
      app = await api.updateApplication(at, id, { url, method });
    }
    if (app === null) throw new Error('setup plan has no application after carrying out its change');
    done.applicationId = app.id;
    if (changes.application) done.items.push('voice_application');
    const profileChanged = Object.keys(changes.profile).length > 0;
    if (profileChanged || changes.setDefaultApplication) {
      await api.updateDomain(at, {
        // The whole profile, ours merged in: keys we do not own are kept whether Cloudonix replaces or merges it.
        ...(profileChanged ? { profile: { ...state.domain?.profile, ...changes.profile } } : {}),
        ...(changes.setDefaultApplication ? { defaultApplication: app.id } : {}),
      });
    }
    return app.id;
  }

  /** What setup changed at Cloudonix, never the values: the URLs carry the webhook secret. */
  async function audit(actor: Actor, t: TenantTarget, after: Record<string, unknown>): Promise<void> {
    await repos.auditLog.insert(t.tenantId, {
      userId: actor.principal.userId,
      action: 'cloudonix.domain_setup',
      entityType: 'tenant',
      entityId: t.tenantId,
      after: { domain: t.domain, ...after },
      ip: actor.ip,
      at: clock(),
    });
  }

  return {
    /** "Check wiring": what is set at the domain, what setup would change, and which webhooks came. */
    async check(tenantId: number, baseUrl: string): Promise<SetupCheckView> {
      const at = await connection.requireAccess(tenantId);
      const t = await target(tenantId, baseUrl);
      return view(t, plan(t, await read(at)));
    },

    /** "Set up domain": plan, carry out, read back and plan again. */
    async apply(actor: Actor, baseUrl: string, input: SetupApplyInput): Promise<SetupApplyResult> {
      const { tenantId } = actor.principal;
      const at = await connection.requireAccess(tenantId);
      const t = await target(tenantId, baseUrl);
      if (t.urlsProblem !== null && !input.allow_unreachable_urls) {
        throw new AppError('validation_failed', `Our voice URL ${maskUrlSecrets(t.desired.voiceUrl)} ${t.urlsProblem}`, {
          fields: { allow_unreachable_urls: ['set it to true to set these URLs all the same (testing only)'] },
        });
      }
      const before = await read(at);
      const planned = plan(t, before);
      if (!planned.domainFound) {
        throw cloudonixFailureToAppError(new CloudonixFailure('not_found', `Cloudonix has no domain ${t.domain} for this API key: the tenant's domain must be the Cloudonix domain the key was made in.`, 404));
      }
      const applied = planned.steps.filter((s) => s.action !== 'none');
      if (applied.length === 0) return { applied, verified: true, after: await view(t, planned) };

      const done: Progress = { applicationId: null, items: [] };
      let applicationId: number;
      try {
        applicationId = await atCloudonix(() => carryOut(at, t, before, planned, done));
      } catch (err) {
        // A half-carried-out setup is still a change at Cloudonix: say what was done before it failed.
        if (done.items.length > 0) {
          await audit(actor, t, { application_id: done.applicationId, changed: done.items.map((item) => ({ item, action: planned.steps.find((s) => s.item === item)!.action })), failed: err instanceof AppError ? err.message : 'unexpected error' });
        }
        throw err;
      }
      await connection.rememberSetup(tenantId, applicationId, clock());
      const afterPlan = plan(t, await read(at), { ...t.desired, applicationId });
      await audit(actor, t, { application_id: applicationId, changed: applied.map((s) => ({ item: s.item, action: s.action })), verified: afterPlan.inSync });
      return { applied, verified: afterPlan.inSync, after: await view(t, afterPlan) };
    },
  };
}
export type DomainSetup = ReturnType<typeof createDomainSetup>;
