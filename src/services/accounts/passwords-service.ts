import { AppError, invalidFields, notFound } from '../../core/errors.js';
import { newOpaqueToken, sha256Hex } from '../../core/opaque-token.js';
import { NO_PASSWORD } from '../../core/password-hash.js';
import { assertAcceptablePassword } from '../../core/password-policy.js';
import type { Actor } from '../../core/principal.js';
import type { ChangePasswordInput, ForcedResetView, ResetPasswordInput } from '../../core/schemas/account.js';
import type { RevokedTokens } from '../../core/schemas/realtime.js';
import type { Store } from '../../store/database.js';
import type { Repositories } from '../../store/index.js';
import type { UserRow } from '../../store/users.js';
import type { AuthService, IssuedToken } from '../auth-service.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { isoTime } from '../views.js';
import { resetMail, resetPasswordUrl, type AccountMailer } from './account-mail.js';

interface PasswordsDeps {
  store: Store;
  repos: Repositories;
  clock: Clock;
  logger: Logger;
  auth: Pick<AuthService, 'hasher' | 'issueSession'>;
  mailer: AccountMailer;
  /** PUBLIC_URL: the only base an emailed "forgot password" link is built on (a request's Host could be anyone's). */
  publicUrl: string | undefined;
  onTokensRevoked?: ((revoked: RevokedTokens) => void) | undefined;
}

const HOUR_MS = 3_600_000;
/** A link asked for by its owner is used at once; one an admin or operator sends may wait for its reader. */
export const SELF_RESET_TTL_MS = HOUR_MS;
export const ISSUED_RESET_TTL_MS = 72 * HOUR_MS;

const invalidLink = () => new AppError('not_found', 'This password reset link is not valid: it may have expired or been used already. Ask for a new one.');

/** Changing, forgetting and resetting passwords; each signs out the user's other sessions and sockets. */
export function createPasswordsService({ store, repos, clock, logger, auth, mailer, publicUrl, onTokensRevoked }: PasswordsDeps) {
  const personal = (user: UserRow) => [user.email, user.name];

  async function newLink(user: UserRow, ttlMs: number, trx = store.db): Promise<{ token: string; expiresAt: number }> {
    const token = newOpaqueToken('vlbr');
    const now = clock();
    const expiresAt = now + ttlMs;
    // One link at a time: asking again voids the earlier ones.
    await repos.passwordResets.voidForUser(user.tenant_id, user.id, now, trx);
    await repos.passwordResets.insert({ tenant_id: user.tenant_id, user_id: user.id, token_hash: sha256Hex(token), expires_at: expiresAt, used_at: null, created_at: now }, trx);
    return { token, expiresAt };
  }

  async function audit(user: UserRow, action: string, actorId: number | null, ip: string | null, trx = store.db): Promise<void> {
    await repos.auditLog.insert(user.tenant_id, { userId: actorId, action, entityType: 'user', entityId: user.id, after: { email: user.email }, ip, at: clock() }, trx);
  }

  function revoked(tenantId: number, tokenIds: number[]): void {
    for (const tokenId of tokenIds) onTokensRevoked?.({ tenantId, tokenId });
  }

  /** Sets a new password in one transaction: other sessions and unused reset links stop working. Returns the revoked token ids. */
  async function setPassword(user: UserRow, passwordHash: string, keepTokenId: number, action: string, actorId: number | null, ip: string | null, trx = store.db): Promise<number[]> {
    const now = clock();
    await repos.users.update(user.tenant_id, user.id, { password_hash: passwordHash, updated_at: now }, trx);
    const ids = await repos.apiTokens.deleteOthersForUser(user.tenant_id, user.id, keepTokenId, trx);
    await repos.passwordResets.voidForUser(user.tenant_id, user.id, now, trx);
    await audit(user, action, actorId, ip, trx);
    return ids;
  }

  async function sendForgotLink(email: string, ip: string | null): Promise<void> {
    const user = await repos.users.findByEmail(email);
    if (!user || Number(user.active) !== 1) return;
    if (!mailer.enabled || !publicUrl) {
      logger.warn('a password reset was asked for, but SMTP_URL and PUBLIC_URL must both be set to email the link');
      return;
    }
    const { token, expiresAt } = await newLink(user, SELF_RESET_TTL_MS);
    await audit(user, 'user.password_reset_requested', null, ip);
    await mailer.send(resetMail({ to: user.email, url: resetPasswordUrl(publicUrl, token), expiresAt: isoTime(expiresAt), forced: false }));
  }

  return {
    /** The signed-in user's own change: the current password is required; this session stays signed in. */
    async change(actor: Actor, input: ChangePasswordInput): Promise<void> {
      const { tenantId, userId, tokenId } = actor.principal;
      const user = await repos.users.findById(tenantId, userId);
      if (!user) throw new AppError('unauthenticated', 'Authentication required.');
      if (!(await auth.hasher.verify(input.current_password, user.password_hash))) throw invalidFields({ current_password: ['is not correct'] }, 'The current password is not correct.');
      assertAcceptablePassword(input.password, personal(user));
      const hash = await auth.hasher.hash(input.password);
      const ids = await store.db.transaction().execute((trx) => setPassword(user, hash, tokenId, 'user.password_changed', userId, actor.ip, trx));
      revoked(tenantId, ids);
    },

    /**
     * "Forgot password": answers at once, the same whether or not the email has an account;
     * the lookup, the link and the email happen afterwards, so neither the answer nor its timing tells.
     */
    forgot(email: string, ip: string | null): void {
      sendForgotLink(email, ip).catch((err: unknown) => logger.warn({ err }, 'could not handle a password reset request'));
    },

    /** Uses a reset link once: sets the password, signs out every session, and signs this browser in. */
    async reset(input: ResetPasswordInput, ip: string | null): Promise<IssuedToken> {
      const link = await repos.passwordResets.findByHash(sha256Hex(input.token));
      if (!link || link.used_at !== null || link.expires_at <= clock()) throw invalidLink();
      const user = await repos.users.findById(link.tenant_id, link.user_id);
      if (!user || Number(user.active) !== 1) throw invalidLink();
      assertAcceptablePassword(input.password, personal(user));
      const hash = await auth.hasher.hash(input.password);
      const { ids, session } = await store.db.transaction().execute(async (trx) => {
        if (!(await repos.passwordResets.use(link.tenant_id, link.id, clock(), trx))) throw invalidLink();
        const removed = await setPassword(user, hash, 0, 'user.password_reset', user.id, ip, trx);
        return { ids: removed, session: await auth.issueSession({ ...user, password_hash: hash }, 'password-reset', trx) };
      });
      revoked(user.tenant_id, ids);
      return session;
    },

    /**
     * An admin makes a user of their tenant set a new password: the old one stops working, every
     * session ends, and a link is emailed (or returned, when no email could carry it).
     */
    async forceReset(actor: Actor, userId: number, baseUrl: string): Promise<ForcedResetView> {
      const { tenantId } = actor.principal;
      if (userId === actor.principal.userId) throw new AppError('conflict', 'Change your own password from My account instead.');
      const user = await repos.users.findById(tenantId, userId);
      if (!user) throw notFound('User');
      const { link, ids } = await store.db.transaction().execute(async (trx) => {
        const removed = await setPassword(user, NO_PASSWORD, 0, 'user.password_reset_forced', actor.principal.userId, actor.ip, trx);
        return { link: await newLink(user, ISSUED_RESET_TTL_MS, trx), ids: removed };
      });
      revoked(tenantId, ids);
      const url = resetPasswordUrl(baseUrl, link.token);
      const emailed = await mailer.send(resetMail({ to: user.email, url, expiresAt: isoTime(link.expiresAt), forced: true }));
      return { emailed, reset_url: emailed ? null : url, expires_at: isoTime(link.expiresAt) };
    },

    /** The operator's reset (CLI): sets the given password, or returns a reset link. */
    async operatorReset(email: string, password: string | undefined, baseUrl: string): Promise<string> {
      const user = await repos.users.findByEmail(email);
      if (!user) throw new Error(`no user has the email ${email}`);
      if (password !== undefined) {
        assertAcceptablePassword(password, personal(user));
        const hash = await auth.hasher.hash(password);
        await store.db.transaction().execute((trx) => setPassword(user, hash, 0, 'user.password_reset', null, null, trx));
        // Through the plane, so a running server closes the user's sockets too (with Redis; alone, their tokens are gone anyway).
        onTokensRevoked?.({ tenantId: user.tenant_id, userId: user.id });
        return `set a new password for ${user.email}; every session of theirs is signed out`;
      }
      const { token, expiresAt } = await store.db.transaction().execute(async (trx) => {
        await audit(user, 'user.password_reset_issued', null, null, trx);
        return newLink(user, ISSUED_RESET_TTL_MS, trx);
      });
      return `reset link for ${user.email} (works once, until ${isoTime(expiresAt)}):\n${resetPasswordUrl(baseUrl, token)}`;
    },
  };
}
export type PasswordsService = ReturnType<typeof createPasswordsService>;
