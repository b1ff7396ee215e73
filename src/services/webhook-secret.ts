import { newOpaqueToken } from '../core/opaque-token.js';

/** The value a tenant pastes into Cloudonix as the domain's authorization-api-key; URL-safe so it also works as `?token=`. */
export function newWebhookSecret(): string {
  return newOpaqueToken('cxlb');
}
