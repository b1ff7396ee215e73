import type { Config } from '../../core/config.js';
import type { SecretBox } from '../../core/secret-box.js';
import type { Store } from '../../store/database.js';
import type { Repositories } from '../../store/index.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { CloudonixApi } from './cloudonix-api.js';
import { createCloudonixRest } from './cloudonix-rest.js';
import { createConnectionService } from './connection-service.js';
import { createDomainSetup } from './domain-setup.js';
import { createWebhookWiring } from '../webhook-wiring.js';

export interface CloudonixDeps {
  config: Config;
  store: Store;
  repos: Repositories;
  secretBox: SecretBox;
  clock: Clock;
  logger: Logger;
  /** Called after a tenant's connection changes (the tenant directory forgets its cached entry everywhere). */
  onConnectionChange?: (tenantId: number) => Promise<void>;
  /** Another implementation of the REST API (tests use the real client against the fake; this is for odd cases). */
  api?: CloudonixApi;
}

/**
 * Everything the console does at Cloudonix (issue 22): the REST client, each tenant's
 * connection (`connection.accessFor` is what every other part uses), and the actions
 * built on them (domain setup, test calls, live-call control), added below as members.
 */
export function createCloudonixServices(deps: CloudonixDeps) {
  const { config, repos, secretBox, clock, logger } = deps;
  const api = deps.api ?? createCloudonixRest({ baseUrl: config.cloudonixApiUrl, requestsPer10s: config.cloudonixRequestsPer10s, logger });
  const connection = createConnectionService({
    repos,
    secretBox,
    api,
    apiUrl: config.cloudonixApiUrl,
    clock,
    logger,
    ...(deps.onConnectionChange ? { onChange: deps.onConnectionChange } : {}),
  });
  return {
    api,
    connection,
    /** One-click domain setup and "check wiring" (GET/POST /api/cloudonix/setup). */
    setup: createDomainSetup({ repos, secretBox, api, connection, wiring: createWebhookWiring(repos, clock), clock }),
  };
}
export type CloudonixServices = ReturnType<typeof createCloudonixServices>;
