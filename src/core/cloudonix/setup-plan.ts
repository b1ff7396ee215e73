import { maskUrlSecrets } from '../mask.js';

/**
 * What one-click setup would change at a tenant's Cloudonix domain: its voice
 * application (ours, calling our voice URL with POST), the domain's default
 * application, and three domain profile keys (authorization key, session update
 * and CDR endpoints). Pure: the service reads the domain and its applications,
 * plans, carries out `changes`, then reads back and plans again (in sync = verified).
 * Steps are for people: URLs with their token masked, the key only as set / not set
 * / differs. `changes` holds the real values and never leaves the service.
 */
export const SETUP_ITEMS = ['voice_application', 'default_application', 'authorization_key', 'session_update_endpoint', 'cdr_endpoint'] as const;
export type SetupItem = (typeof SETUP_ITEMS)[number];
export type SetupAction = 'create' | 'update' | 'none';

export interface SetupStep {
  item: SetupItem;
  action: SetupAction;
  /** What the domain has now (masked), or null when nothing is set. */
  current: string | null;
  /** What setup sets (masked). */
  desired: string;
  /** One sentence: what is wrong and what setup does, or that it is right. */
  words: string;
}

/** The domain as planning needs it (structurally a CloudonixDomain). */
export interface SetupDomainFacts {
  domain: string;
  defaultApplication: number | string | null;
  profile: Record<string, unknown>;
}

/** A voice application as planning needs it (structurally a CloudonixApplication). */
export interface SetupApplicationFacts {
  id: number;
  name: string;
  url: string;
  method: string;
}

export interface DesiredSetup {
  voiceUrl: string;
  sessionUpdateUrl: string;
  cdrUrl: string;
  /** The tenant's current webhook secret: Cloudonix sends it as `Authorization: Bearer`. */
  authorizationKey: string;
  /** `voice-lb-<tenant domain>`: how our application is found when no id is stored. */
  applicationName: string;
  /** The application setup made last time (cloudonix_connections.application_id), if any. */
  applicationId?: number | null | undefined;
}

/** The profile keys setup owns; every other key of the profile is left as it is. */
export const PROFILE_KEYS = {
  authorization_key: 'authorization-api-key',
  session_update_endpoint: 'session-update-endpoint',
  cdr_endpoint: 'cdr-endpoint',
} as const;

export type ApplicationChange = { kind: 'create'; name: string; url: string; method: 'POST' } | { kind: 'update'; id: number; url: string; method: 'POST' };

export interface SetupChanges {
  application: ApplicationChange | null;
  /** Profile keys to set, to be merged into the domain's existing profile. Holds the secret. */
  profile: Record<string, string>;
  /** The domain's default application must become ours (its id once created). */
  setDefaultApplication: boolean;
}

export interface SetupPlan {
  domainFound: boolean;
  /** Our application as found at Cloudonix (null: none yet). */
  application: SetupApplicationFacts | null;
  steps: SetupStep[];
  inSync: boolean;
  changes: SetupChanges;
}

const METHOD = 'POST';

/** Same scheme, host and path, whatever the query (the token) says. */
function samePlace(a: string, b: string): boolean {
  try {
    const x = new URL(a);
    const y = new URL(b);
    return x.origin === y.origin && x.pathname === y.pathname;
  } catch {
    return false;
  }
}

function describeApp(app: SetupApplicationFacts): string {
  return `${app.name} (id ${app.id}): ${app.method.toUpperCase()} ${maskUrlSecrets(app.url)}`;
}

/** Ours: the stored id, else our name, else an application already calling our voice URL (set up by hand). */
export function findOurApplication(applications: readonly SetupApplicationFacts[], desired: DesiredSetup): SetupApplicationFacts | null {
  const byId = desired.applicationId == null ? undefined : applications.find((a) => a.id === desired.applicationId);
  return byId ?? applications.find((a) => a.name === desired.applicationName) ?? applications.find((a) => samePlace(a.url, desired.voiceUrl)) ?? null;
}

function isDefault(defaultApplication: number | string | null, app: SetupApplicationFacts | null): boolean {
  if (app === null || defaultApplication === null) return false;
  return defaultApplication === app.id || defaultApplication === String(app.id) || defaultApplication === app.name;
}

/** Why a URL setup compares with ours differs from it, in words. */
function urlDifference(current: string, desired: string): string {
  return samePlace(current, desired) ? 'our URL with an old webhook secret in it' : maskUrlSecrets(current);
}

function applicationStep(app: SetupApplicationFacts | null, d: DesiredSetup): { step: SetupStep; change: ApplicationChange | null } {
  const desired = `${app?.name ?? d.applicationName}: ${METHOD} ${maskUrlSecrets(d.voiceUrl)}`;
  if (app === null) {
    return {
      step: { item: 'voice_application', action: 'create', current: null, desired, words: `Create the voice application ${d.applicationName}, which calls our voice URL with POST.` },
      change: { kind: 'create', name: d.applicationName, url: d.voiceUrl, method: METHOD },
    };
  }
  const current = describeApp(app);
  const urlRight = app.url === d.voiceUrl;
  const methodRight = app.method.toUpperCase() === METHOD;
  if (urlRight && methodRight) {
    return { step: { item: 'voice_application', action: 'none', current, desired, words: `The voice application ${app.name} calls our voice URL with POST.` }, change: null };
  }
  const wrong = [urlRight ? null : `calls ${urlDifference(app.url, d.voiceUrl)}`, methodRight ? null : `uses ${app.method.toUpperCase()}`].filter((w) => w !== null).join(' and ');
  return {
    step: { item: 'voice_application', action: 'update', current, desired, words: `The voice application ${app.name} ${wrong}: update it to call our voice URL with POST.` },
    change: { kind: 'update', id: app.id, url: d.voiceUrl, method: METHOD },
  };
}

function defaultApplicationStep(domain: SetupDomainFacts, app: SetupApplicationFacts | null, applications: readonly SetupApplicationFacts[], d: DesiredSetup): SetupStep {
  const name = app?.name ?? d.applicationName;
  const current = domain.defaultApplication;
  const currentApp = current === null ? undefined : applications.find((a) => isDefault(current, a));
  const shown = current === null ? null : currentApp ? `${currentApp.name} (id ${currentApp.id})` : String(current);
  if (isDefault(current, app)) {
    return { item: 'default_application', action: 'none', current: shown, desired: name, words: `Calls to ${domain.domain} run ${name}, our voice application.` };
  }
  const now = shown === null ? 'no application is set' : `they run ${shown}`;
  return {
    item: 'default_application',
    action: current === null ? 'create' : 'update',
    current: shown,
    desired: name,
    words: `Make ${name} the default application of ${domain.domain}, so its calls come here (now ${now}).`,
  };
}

function profileText(profile: Record<string, unknown>, key: string): string | null {
  const value = profile[key];
  return typeof value === 'string' && value !== '' ? value : null;
}

function authorizationStep(domain: SetupDomainFacts, d: DesiredSetup): SetupStep {
  const value = profileText(domain.profile, PROFILE_KEYS.authorization_key);
  const base = { item: 'authorization_key' as const, desired: 'set' };
  if (value === d.authorizationKey) {
    return { ...base, action: 'none', current: 'set', words: "The domain's authorization key is this tenant's webhook secret, so Cloudonix sends it with every request." };
  }
  if (value === null) {
    return { ...base, action: 'create', current: 'not set', words: "Set the domain's authorization key to this tenant's webhook secret, so Cloudonix sends it with every request." };
  }
  return {
    ...base,
    action: 'update',
    current: 'differs',
    words: "The domain's authorization key is not this tenant's current webhook secret (it was rotated since, or set to another value): set it to the current one.",
  };
}

function endpointStep(domain: SetupDomainFacts, item: 'session_update_endpoint' | 'cdr_endpoint', url: string): SetupStep {
  const what = item === 'cdr_endpoint' ? 'CDR' : 'session update';
  const value = profileText(domain.profile, PROFILE_KEYS[item]);
  const current = value === null ? null : maskUrlSecrets(value);
  const desired = maskUrlSecrets(url);
  if (value === url) return { item, action: 'none', current, desired, words: `The domain sends ${what}s to our ${what} URL.` };
  if (value === null) {
    const lost = item === 'cdr_endpoint' ? 'billed seconds stay unknown and calls close only after the maximum call length' : 'live calls cannot be followed';
    return { item, action: 'create', current, desired, words: `The domain has no ${what} endpoint, so ${lost}: set it to our ${what} URL.` };
  }
  return { item, action: 'update', current, desired, words: `The domain's ${what} endpoint is ${urlDifference(value, url)}: set it to our ${what} URL.` };
}

export function planDomainSetup(input: { domain: SetupDomainFacts | null; domainName: string; applications: readonly SetupApplicationFacts[]; desired: DesiredSetup }): SetupPlan {
  const { applications, desired } = input;
  // A domain Cloudonix does not have plans as an empty one: the steps still show what setup would set.
  const domain = input.domain ?? { domain: input.domainName, defaultApplication: null, profile: {} };
  const app = findOurApplication(applications, desired);
  const { step: appStep, change } = applicationStep(app, desired);
  const steps = [
    appStep,
    defaultApplicationStep(domain, app, applications, desired),
    authorizationStep(domain, desired),
    endpointStep(domain, 'session_update_endpoint', desired.sessionUpdateUrl),
    endpointStep(domain, 'cdr_endpoint', desired.cdrUrl),
  ];
  const values: Record<'authorization_key' | 'session_update_endpoint' | 'cdr_endpoint', string> = {
    authorization_key: desired.authorizationKey,
    session_update_endpoint: desired.sessionUpdateUrl,
    cdr_endpoint: desired.cdrUrl,
  };
  const profile: Record<string, string> = {};
  for (const step of steps) {
    if (step.action !== 'none' && (step.item === 'authorization_key' || step.item === 'session_update_endpoint' || step.item === 'cdr_endpoint')) {
      profile[PROFILE_KEYS[step.item]] = values[step.item];
    }
  }
  return {
    domainFound: input.domain !== null,
    application: app,
    steps,
    inSync: input.domain !== null && steps.every((s) => s.action === 'none'),
    changes: { application: change, profile, setDefaultApplication: steps[1]!.action !== 'none' },
  };
}
