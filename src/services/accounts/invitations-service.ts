import { AppError, notFound } from '../../core/errors.js';
import { newOpaqueToken, sha256Hex } from '../../core/opaque-token.js';
import { assertAcceptablePassword } from '../../core/password-policy.js';
import type { Actor } from '../../core/principal.js';
import type { Role } from '../../core/roles.js';
import type {
  AcceptInvitationInput,
  CreatedInvitationView,
  CreateInvitationInput,
  InvitationPreview,
  InvitationView,
} from '../../core/schemas/account.js';
import type { Store } from '../../store/database.js';
import type { Repositories } from '../../store/index.js';
import type { InvitationRow } from '../../store/invitations.js';
import type { AuthService, IssuedToken } from '../auth-service.js';
import type { Clock } from '../clock.js';
import { isoTime } from '../views.js';
import { acceptInvitationUrl, invitationMail, type AccountMailer } from './account-mail.js';

interface InvitationsDeps {
  store: Store;
  repos: Repositories;
  clock: Clock;
  auth: Pick<AuthService, 'hasher' | 'issueSession'>;
  mailer: AccountMailer;
}

export const INVITATION_TTL_MS = 72 * 3_600_000;

const invalidLink = () =>
  new AppError('not_found', 'This invitation is not valid: it may have expired, been used or been revoked. Ask your admin for a new one.');

function toView(row: InvitationRow): InvitationView {
  return {
    id: Number(row.id),
    email: row.email,
    name: row.name,
    role: row.role as Role,
    invited_by: row.invited_by === null ? null : Number(row.invited_by),
    expires_at: isoTime(row.expires_at),
    created_at: isoTime(row.created_at),
  };
}

/** Admins invite people by email; an invitation is accepted once, before it expires, by setting a password. */
export function createInvitationsService({ store, repos, clock, auth, mailer }: InvitationsDeps) {
  async function pending(token: string): Promise<InvitationRow> {
    const row = await repos.invitations.findByHash(sha256Hex(token));
    if (!row || row.accepted_at !== null || row.revoked_at !== null || row.expires_at <= clock()) throw invalidLink();
    return row;
  }

  return {
    /**
     * Records the invitation and emails its link. The link is returned to the admin only when no
     * email carried it (no SMTP_URL, or the server refused), so an admin can pass it on.
     */
    async create(actor: Actor, input: CreateInvitationInput, baseUrl: string): Promise<CreatedInvitationView> {
      const { tenantId, userId } = actor.principal;
      const existing = await repos.users.findByEmail(input.email);
      // Only this tenant's users are named; whether the email has an account elsewhere is not told here.
      if (existing && Number(existing.tenant_id) === tenantId) {
        throw new AppError('conflict', 'This email is already a user of your tenant.', { fields: { email: ['is already a user of your tenant'] } });
      }
      const token = newOpaqueToken('vlbi');
      const now = clock();
      const row = await store.db.transaction().execute(async (trx) => {
        // A new invitation replaces any pending one for the same email.
        await repos.invitations.revokePendingFor(tenantId, input.email, now, trx);
        const values = { tenant_id: tenantId, email: input.email, name: input.name ?? null, role: input.role, token_hash: sha256Hex(token), invited_by: userId, expires_at: now + INVITATION_TTL_MS, accepted_at: null, revoked_at: null, created_at: now };
        const id = await repos.invitations.insert(values, trx);
        const view = toView({ id, ...values });
        await repos.auditLog.insert(tenantId, { userId, action: 'invitation.created', entityType: 'invitation', entityId: id, after: view, ip: actor.ip, at: now }, trx);
        return { id, ...values };
      });
      const [tenant, inviter] = await Promise.all([repos.tenants.findById(tenantId), repos.users.findById(tenantId, userId)]);
      const url = acceptInvitationUrl(baseUrl, token);
      const emailed = await mailer.send(
        invitationMail({ to: row.email, tenantName: tenant?.name ?? 'your team', inviter: inviter?.name ?? null, role: row.role, url, expiresAt: isoTime(row.expires_at) }),
      );
      return { ...toView(row), emailed, accept_url: emailed ? null : url };
    },

    async listPending(tenantId: number): Promise<InvitationView[]> {
      return (await repos.invitations.listPending(tenantId, clock())).map(toView);
    },

    async revoke(actor: Actor, id: number): Promise<void> {
      const { tenantId, userId } = actor.principal;
      const row = await repos.invitations.findById(tenantId, id);
      if (!row) throw notFound('Invitation');
      const now = clock();
      await store.db.transaction().execute(async (trx) => {
        if (!(await repos.invitations.close(tenantId, id, { revoked_at: now }, now, trx))) {
          throw new AppError('conflict', 'This invitation is no longer pending: it was accepted, revoked or has expired.');
        }
        await repos.auditLog.insert(tenantId, { userId, action: 'invitation.revoked', entityType: 'invitation', entityId: id, before: toView(row), ip: actor.ip, at: now }, trx);
      });
    },

    /** What the accept page shows: who is invited where, before any password is set. */
    async preview(token: string): Promise<InvitationPreview> {
      const row = await pending(token);
      const tenant = await repos.tenants.findById(row.tenant_id);
      if (!tenant) throw invalidLink();
      return { email: row.email, name: row.name, role: row.role as Role, tenant_name: tenant.name, expires_at: isoTime(row.expires_at) };
    },

    /** Creates the user with the chosen password, uses the invitation up, and signs the new user in. */
    async accept(input: AcceptInvitationInput, ip: string | null): Promise<IssuedToken> {
      const row = await pending(input.token);
      const tenantId = Number(row.tenant_id);
      const tenant = await repos.tenants.findById(tenantId);
      assertAcceptablePassword(input.password, [row.email, input.name, tenant?.domain ?? '']);
      const taken = () => new AppError('conflict', 'An account with this email already exists: sign in with it, or ask your admin to invite another email.');
      if (await repos.users.findByEmail(row.email)) throw taken();
      const hash = await auth.hasher.hash(input.password);
      const now = clock();
      try {
        return await store.db.transaction().execute(async (trx) => {
          if (!(await repos.invitations.close(tenantId, row.id, { accepted_at: now }, now, trx))) throw invalidLink();
          const values = { tenant_id: tenantId, name: input.name, email: row.email, password_hash: hash, role: row.role, active: 1, last_login_at: now, created_at: now, updated_at: now };
          const userId = await repos.users.insert(values, trx);
          await repos.auditLog.insert(tenantId, { userId, action: 'invitation.accepted', entityType: 'invitation', entityId: row.id, after: { ...toView(row), user_id: userId }, ip, at: now }, trx);
          return auth.issueSession({ id: userId, ...values }, 'invitation', trx);
        });
      } catch (err) {
        if (store.dialect.isUniqueViolation(err)) throw taken();
        throw err;
      }
    },
  };
}
export type InvitationsService = ReturnType<typeof createInvitationsService>;
