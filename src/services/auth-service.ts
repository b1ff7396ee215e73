import type { SignupPolicy } from '../core/config.js';
import { AppError } from '../core/errors.js';
import { newOpaqueToken, sha256Hex } from '../core/opaque-token.js';
import { dummyPasswordHash, NO_PASSWORD } from '../core/password-hash.js';
import { assertAcceptablePassword } from '../core/password-policy.js';
import type { Principal } from '../core/principal.js';
import type { Role } from '../core/roles.js';
import type { RevokedTokens } from '../core/schemas/realtime.js';
import type { SignupPolicyView } from '../core/schemas/account.js';
import type { LoginInput, RegisterInput } from '../core/schemas/auth.js';
import type { MeView, UserView } from '../core/schemas/user.js';
import { defaultTenantSettings } from '../core/schemas/tenant.js';
import type { SecretBox } from '../core/secret-box.js';
import type { Kysely } from 'kysely';
import type { Store } from '../store/database.js';
import type { Database } from '../store/schema.js';
import type { Repositories } from '../store/index.js';
import { writeJson } from '../store/json-column.js';
import type { UserRow } from '../store/users.js';
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
  /** SIGNUP: who may create a tenant over HTTP. */
  signup?: SignupPolicy | undefined;
  /** Whether "forgot password" can email a link (SMTP_URL and PUBLIC_URL set), shown on the sign-in pages. */
  passwordResetEmail?: boolean | undefined;
  /** Sign-in and registration hash off the event loop's cores, a bounded number at a time (see password-hasher.ts). */
  passwordHashing?: PasswordHashingConfig | undefined;
  /** Told after tokens stop working (sign-out, refresh), so open real-time sockets holding them close. */
  onTokensRevoked?: ((revoked: RevokedTokens) => void) | undefined;
}

const DAY_MS = 86_400_000;
/** last_used_at is written at most this often per token, so reads do not each cost a write. */
const TOUCH_INTERVAL_MS = 60_000;

const DEFAULT_HASHING: PasswordHashingConfig = { worker: true, queueLimit: 8 };
/** Written in the transaction of the first registration under SIGNUP=first: a second one racing it fails on the key. */
const FIRST_TENANT_KEY = 'signup.first_tenant';

const signupClosed = (policy: SignupPolicy) =>
  new AppError(
    'signup_closed',
    policy === 'closed'
      ? 'Registration is closed on this installation: ask its operator to create your tenant, or an admin of your tenant for an invitation.'
      : 'This installation already has its tenant, so registration is closed: ask its operator to create yours, or an admin of your tenant for an invitation.',
  );

export function createAuthService({ store, repos, secretBox, clock, logger, tokenTtlDays, signup = 'first', passwordResetEmail = false, passwordHashing, onTokensRevoked }: AuthDeps) {
  const hasher = createPasswordHasher(passwordHashing ?? DEFAULT_HASHING);

  async function registrationOpen(): Promise<boolean> {
    if (signup === 'open') return true;
    if (signup === 'closed') return false;
    return !(await repos.appMeta.anyTenant());
  }

  /** Sign-ins go to the tenant's audit log without holding the answer: a write only some answers made would time them apart. */
  function auditSignIn(user: UserRow, ok: boolean, ip: string | null): void {
    const entry = { userId: ok ? user.id : null, action: ok ? 'auth.signed_in' : 'auth.sign_in_failed', entityType: 'user', entityId: user.id, after: { email: user.email }, ip, at: clock() };
    repos.auditLog.insert(user.tenant_id, entry).catch((err: unknown) => logger.warn({ err }, 'could not record a sign-in in the audit log'));
  }

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

  // One answer whichever is taken, and no field named: registering must not tell which emails have accounts.
  const taken = () => new AppError('conflict', 'A tenant with this domain or a user with this email already exists. Sign in, or ask its admin for an invitation.');

  /** The tenant, its webhook secret and its first admin (signed in at `lastLoginAt`, if at all). */
  async function insertTenantAndAdmin(
    input: Pick<RegisterInput, 'tenant_name' | 'domain' | 'name' | 'email' | 'timezone'>,
    passwordHash: string,
    lastLoginAt: number | null,
    trx: Kysely<Database>,
  ): Promise<UserRow> {
    const now = clock();
    // The registering browser's time zone, so days and charts are local from the first call.
    const settings = { ...defaultTenantSettings, timezone: input.timezone ?? defaultTenantSettings.timezone };
    const tenantId = await repos.tenants.insert(
      { name: input.tenant_name, domain: input.domain, webhook_secret_sealed: secretBox.seal(newWebhookSecret()), settings: writeJson(settings), created_at: now, updated_at: now },
      trx,
    );
    const values = { tenant_id: tenantId, name: input.name, email: input.email, password_hash: passwordHash, role: 'admin', active: 1, last_login_at: lastLoginAt, created_at: now, updated_at: now };
    const userId = await repos.users.insert(values, trx);
    return { id: userId, ...values };
  }

  async function issueSession(user: UserRow, name: string, trx = store.db): Promise<IssuedToken> {
    const { token, expiresAt } = await issueToken(user.tenant_id, user.id, name, trx);
    return { user: toUserView(user), token, expires_at: isoTime(expiresAt) };
  }

  return {
    /** Creates a tenant, its first admin and its webhook secret, and signs the admin in. */
    async register(input: RegisterInput): Promise<IssuedToken> {
      if (!(await registrationOpen())) throw signupClosed(signup);
      assertAcceptablePassword(input.password, [input.email, input.name, input.domain, input.tenant_name]);
      if ((await repos.tenants.findByDomain(input.domain)) || (await repos.users.findByEmail(input.email))) throw taken();
      const passwordHash = await hasher.hash(input.password);
      const now = clock();
      try {
        return await store.db.transaction().execute(async (trx) => {
          if (signup === 'first' && !(await repos.appMeta.claim(FIRST_TENANT_KEY, String(now), trx))) throw signupClosed(signup);
          const user = await insertTenantAndAdmin(input, passwordHash, now, trx);
          return issueSession(user, 'register', trx);
        });
      } catch (err) {
        // Two registrations raced past the checks above; the unique index decided.
        if (store.dialect.isUniqueViolation(err)) throw taken();
        throw err;
      }
    },

    /**
     * The operator's way to add a tenant whatever SIGNUP says (CLI `create-tenant`). Without a
     * password the admin has none until they use a reset link. The operator is told which of
     * domain or email is taken.
     */
    async createTenant(input: Omit<RegisterInput, 'password' | 'password_confirmation'> & { password?: string | undefined }): Promise<UserView> {
      if (await repos.tenants.findByDomain(input.domain)) throw new AppError('conflict', `The domain ${input.domain} already has a tenant.`);
      if (await repos.users.findByEmail(input.email)) throw new AppError('conflict', `The email ${input.email} already has an account.`);
      if (input.password !== undefined) assertAcceptablePassword(input.password, [input.email, input.name, input.domain, input.tenant_name]);
      const passwordHash = input.password === undefined ? NO_PASSWORD : await hasher.hash(input.password);
      const user = await store.db.transaction().execute((trx) => insertTenantAndAdmin(input, passwordHash, null, trx));
      return toUserView(user);
    },

    /** Whether POST /register would be accepted now, shown on the register page. */
    async signupPolicy(): Promise<SignupPolicyView> {
      return { signup, registration_open: await registrationOpen(), password_reset_email: passwordResetEmail };
    },

    async login(input: LoginInput, ip: string | null = null): Promise<IssuedToken> {
      const user = await repos.users.findByEmail(input.email);
      // Verify against a dummy hash when there is no such user, so timing does not tell.
      // A password an admin voided (a forced reset) is checked against the dummy too, so it takes as long.
      const stored = user?.password_hash.startsWith('scrypt$') ? user.password_hash : await dummyPasswordHash();
      const valid = (await hasher.verify(input.password, stored)) && user?.password_hash === stored;
      if (user) auditSignIn(user, valid, ip);
      // No tenant to record it in: the log keeps the address (never the password), for the operator.
      else logger.info({ ip }, 'sign-in failed for an unknown email');
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

    /** Hashes and checks passwords on the bounded hashing thread (password changes, invitations, resets). */
    hasher,
    /** Signs a user in: a new bearer token, named after how it was obtained. */
    issueSession,

    /** Stops the hashing thread; sign-ins still waiting for it are refused. */
    close: () => hasher.close(),
  };
}
export type AuthService = ReturnType<typeof createAuthService>;
