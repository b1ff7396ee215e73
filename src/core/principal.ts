import type { Role } from './roles.js';

/** Who is calling: resolved from a bearer token once per request. */
export interface Principal {
  readonly userId: number;
  readonly tenantId: number;
  readonly role: Role;
  readonly tokenId: number;
}

/** Request facts a service records in the audit log. */
export interface Actor {
  readonly principal: Principal;
  readonly ip: string | null;
}
