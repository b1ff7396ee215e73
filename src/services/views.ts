import type { UserView } from '../core/schemas/user.js';
import type { Role } from '../core/roles.js';
import type { UserRow } from '../store/users.js';

export function isoTime(ms: number): string;
export function isoTime(ms: number | null): string | null;
export function isoTime(ms: number | null): string | null {
  return ms === null ? null : new Date(Number(ms)).toISOString();
}

/** The public shape of a user: never the password hash. */
export function toUserView(row: UserRow): UserView {
  return {
    id: Number(row.id),
    tenant_id: Number(row.tenant_id),
    name: row.name,
    email: row.email,
    role: row.role as Role,
    active: Number(row.active) === 1,
    last_login_at: isoTime(row.last_login_at),
    created_at: isoTime(row.created_at),
    updated_at: isoTime(row.updated_at),
  };
}

export interface PageMeta {
  current_page: number;
  per_page: number;
  total: number;
  last_page: number;
  /** Present on lists that stop counting at a cap: true when there are more than `total` matches. */
  total_capped?: boolean;
}

export function pageMeta(page: number, perPage: number, total: number, capped?: boolean): PageMeta {
  const meta: PageMeta = { current_page: page, per_page: perPage, total, last_page: Math.max(1, Math.ceil(total / perPage)) };
  if (capped !== undefined) meta.total_capped = capped;
  return meta;
}
