import type { SecretBox } from '../core/secret-box.js';
import type { Repositories } from '../store/index.js';

export class AppKeyMismatchError extends Error {
  constructor() {
    super(
      'APP_KEY does not match the key this database was created with: stored secrets could not be decrypted. ' +
        'Start with the original APP_KEY (in embedded mode: DATA_DIR/app.key).',
    );
    this.name = 'AppKeyMismatchError';
  }
}

/**
 * Records the fingerprint of the first APP_KEY used with this database and refuses
 * to start with another one, so a wrong key fails at start rather than at routing.
 */
export async function verifyAppKey(repos: Repositories, secretBox: SecretBox): Promise<void> {
  const stored = await repos.appMeta.setIfAbsent('app_key_fingerprint', secretBox.fingerprint);
  if (stored !== secretBox.fingerprint) throw new AppKeyMismatchError();
}
