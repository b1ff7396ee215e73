import { AppError } from '../core/errors.js';
import { newOpaqueToken, sha256Hex } from '../core/opaque-token.js';
import { dummyPasswordHash } from '../core/password-hash.js';
import type { Principal } from '../core/principal.js';
import type { Role } from '../core/roles.js';
import type { RevokedTokens } from '../core/schemas/realtime.js';
import type { LoginInput, RegisterInput } from '../core/schemas/auth.js';
import type { MeView, UserView } from '../core/schemas/user.js';
import { defaultTenantSettings } from '../core/schemas/tenant.js';
import type { SecretBox } from '../core/secret-box.js';
import type { Store } from '../store/database.js';
import type { Repositories } from '../store/index.js';
import { writeJson } from '../store/json-column.js';
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';
import { createPasswordHasher, type PasswordHashingConfig } from './password-hasher.js';
import { newWebhookSecret } from './webhook-secret.js';
import { isoTime, toUserView } from './views.js';

export interface IssuedToken {
  user: UserView;
  token: string;
  expires_at: string;
}

interface AuthDeps {
  store: Store;
  repos: Repositories;
  secretBox: SecretBox;
  clock: Clock;
  logger: Logger;
  tokenTtlDays: number;
  /** Sign-in and registration hash off the event loop's cores, a bounded number at a time (see password-hasher.ts). */
  passwordHashing?: PasswordHashingConfig | undefined;
  /** Told after tokens stop working (sign-out, refresh), so open real-time sockets holding them close. */
  onTokensRevoked?: ((revoked: RevokedTokens) => void) | undefined;
}

const DAY_MS = 86_400_000;
/** last_used_at is written at most this often per token, so reads do not each cost a write. */
const TOUCH_INTERVAL_MS = 60_000;

const DEFAULT_HASHING: PasswordHashingConfig = { worker: true, queueLimit: 8 };

export function createAuthService({ store, repos, secretBox, clock, logger, tokenTtlDays, passwordHashing, onTokensRevoked }: AuthDeps) {
  const hasher = createPasswordHasher(passwordHashing ?? DEFAULT_HASHING);

  async function issueToken(tenantId: number, userId: number, name: string, trx = store.db): Promise<{ token: string; expiresAt: number }> {
    const token = newOpaqueToken('vlb');
    const now = clock();
    const expiresAt = now + tokenTtlDays * DAY_MS;
    await repos.apiTokens.insert(
      { tenant_id: tenantId, user_id: userId, token_hash: sha256Hex(token), name, expires_at: expiresAt, last_used_at: null, created_at: now },
      trx,
    );
    return { token, expiresAt };
  }

  function conflict(field: string, message: string): AppError {
    return new AppError('conflict', `The ${field} ${message}.`, { fields: { [field]: [message] } });
  }

  return {
    /** Creates a tenant, its first admin and its webhook secret, and signs the admin in. */
    async register(input: RegisterInput): Promise<IssuedToken> {
      if (await repos.tenants.findByDomain(input.domain)) throw conflict('domain', 'is already registered');
      if (await repos.users.findByEmail(input.email)) throw conflict('email', 'is already registered');
      const passwordHash = await hasher.hash(input.password);
      const now = clock();
      try {
        return await store.db.transaction().execute(async (trx) => {
          const tenantId = await repos.tenants.insert(
            {
              name: input.tenant_name,
              domain: input.domain,
              webhook_secret_sealed: secretBox.seal(newWebhookSecret()),
              settings: writeJson(defaultTenantSettings),
              created_at: now,
              updated_at: now,
            },
            trx,
          );
          const userId = await repos.users.insert(
            {
              tenant_id: tenantId,
              name: input.name,
              email: input.email,
              password_hash: passwordHash,
              role: 'admin',
              active: 1,
              last_login_at: now,
              created_at: now,
              updated_at: now,
            },
            trx,
          );
          const user = await repos.users.findById(tenantId, userId, trx);
          if (!user) throw new Error('user vanished inside its own transaction');
          const { token, expiresAt } = await issueToken(tenantId, userId, 'register', trx);
          return { user: toUserView(user), token, expires_at: isoTime(expiresAt) };
        });
      } catch (err) {
        // Two registrations raced past the checks above; the unique index decided.
        if (store.dialect.isUniqueViolation(err)) throw conflict('domain', 'or email is already registered');
        throw err;
      }
    },

    async login(input: LoginInput): Promise<IssuedToken> {
      const user = await repos.users.findByEmail(input.email);
      // Verify against a dummy hash when there is no such user, so timing does not tell.
      const valid = await hasher.verify(input.password, user?.password_hash ?? (await dummyPasswordHash()));
      if (!user || !valid) throw new AppError('invalid_credentials', 'These credentials do not match our records.');
      if (Number(user.active) !== 1) throw new AppError('forbidden', 'This account has been deactivated.');
      const now = clock();
      await repos.users.update(user.tenant_id, user.id, { last_login_at: now });
      const { token, expiresAt } = await issueToken(user.tenant_id, user.id, 'login');
      return { user: toUserView({ ...user, last_login_at: now }), token, expires_at: isoTime(expiresAt) };
    },

    /** Resolves a bearer token to its principal, or undefined when unknown, expired or its user is inactive. */
    async authenticate(bearer: string): Promise<Principal | undefined> {
      if (bearer.length < 10 || bearer.length > 200) return undefined;
      const found = await repos.apiTokens.findByHash(sha256Hex(bearer));
      const now = clock();
      if (!found || found.token.expires_at <= now || Number(found.user.active) !== 1) return undefined;
      if (found.token.last_used_at === null || now - found.token.last_used_at > TOUCH_INTERVAL_MS) {
        repos.apiTokens.touch(found.token.tenant_id, found.token.id, now).catch((err: unknown) => {
          logger.warn({ err }, 'could not record token use');
        });
      }
      return {
        userId: found.user.id,
        tenantId: found.user.tenant_id,
        role: found.user.role as Role,
        tokenId: found.token.id,
      };
    },

    async logout(principal: Principal): Promise<void> {
      await repos.apiTokens.delete(principal.tenantId, principal.tokenId);
      onTokensRevoked?.({ tenantId: principal.tenantId, tokenId: principal.tokenId });
    },

    /** A new token for the same user; the presented one stops working. */
    async refresh(principal: Principal): Promise<IssuedToken> {
      const user = await repos.users.findById(principal.tenantId, principal.userId);
      if (!user) throw new AppError('unauthenticated', 'Authentication required.');
      const issued = await store.db.transaction().execute(async (trx) => {
        await repos.apiTokens.delete(principal.tenantId, principal.tokenId, trx);
        const { token, expiresAt } = await issueToken(principal.tenantId, principal.userId, 'refresh', trx);
        return { user: toUserView(user), token, expires_at: isoTime(expiresAt) };
      });
      onTokensRevoked?.({ tenantId: principal.tenantId, tokenId: principal.tokenId });
      return issued;
    },

    async me(principal: Principal): Promise<MeView> {
      const [user, tenant] = await Promise.all([
        repos.users.findById(principal.tenantId, principal.userId),
        repos.tenants.findById(principal.tenantId),
      ]);
      if (!user || !tenant) throw new AppError('unauthenticated', 'Authentication required.');
      return { ...toUserView(user), tenant: { id: Number(tenant.id), name: tenant.name, domain: tenant.domain } };
    },

    /** Stops the hashing thread; sign-ins still waiting for it are refused. */
    close: () => hasher.close(),
  };
}
export type AuthService = ReturnType<typeof createAuthService>;
