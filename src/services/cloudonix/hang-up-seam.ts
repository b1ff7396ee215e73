import type { HangUpCall } from '../end-live-call.js';
import type { Logger } from '../logger.js';
import type { CloudonixAccess, CloudonixApi } from './cloudonix-api.js';

interface Deps {
  api: CloudonixApi;
  accessFor: (tenantId: number) => Promise<CloudonixAccess | null>;
  logger: Logger;
}

/**
 * The HangUpCall seam of the stale-call end (end-live-call.ts): once the record is closed,
 * the session is hung up at Cloudonix when the tenant has connected it. It never throws:
 * a tenant without a connection, a session Cloudonix no longer has, or Cloudonix failing
 * leaves the record closed as it is (logged, without the key).
 */
export function createHangUpSeam({ api, accessFor, logger }: Deps): HangUpCall {
  return async (tenantId, sessionToken) => {
    try {
      const access = await accessFor(tenantId);
      if (access) await api.hangUpSession(access, sessionToken, 'ended by admin');
    } catch (err) {
      logger.warn({ err, tenantId, session: sessionToken }, 'could not hang up an ended call at Cloudonix');
    }
  };
}
