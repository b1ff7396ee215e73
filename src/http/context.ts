import type { Registry } from 'prom-client';
import type { Principal } from '../core/principal.js';
import type { Config } from '../core/config.js';
import type { Services } from '../services/index.js';

/**
 * Who may call a route, checked by the one guard in `plugins/authenticate.ts`:
 * - `read`: any signed-in user (analysts read everything in their tenant);
 * - `write`: admins only (configuration, users, tenant settings);
 * - `admin`: admins only, even for reads;
 * - `member`: any signed-in user, for actions on their own session or analyst actions such as exports.
 * Unset means `read` for GET/HEAD and `write` for every other method.
 */
export type Access = 'read' | 'write' | 'admin' | 'member';

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
    config: Config;
    /** This app's Prometheus registry, for a separate METRICS_LISTEN server. */
    metricsRegistry: Registry;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}

export {};
