import { newOpaqueToken, sha256Hex } from '../../src/core/opaque-token.js';
import type { TestApp } from './test-app.js';

/** A fresh bearer token for a user, written through our own token store (no password hashing). */
export async function issueTokenDirectly(t: TestApp, tenantId: number, userId: number): Promise<string> {
  const token = newOpaqueToken('vlb');
  const now = Date.now();
  await t.runtime.services.repos.apiTokens.insert({
    tenant_id: tenantId,
    user_id: userId,
    token_hash: sha256Hex(token),
    name: 'test',
    expires_at: now + 86_400_000,
    last_used_at: null,
    created_at: now,
  });
  return token;
}
