import { AppError } from '../../core/errors.js';
import { CloudonixFailure } from './cloudonix-api.js';

/**
 * Cloudonix's failure as our error: a refused key is the admin's to fix (422
 * cloudonix_key_refused), anything else Cloudonix could not do is 424 cloudonix_failed
 * with its kind and HTTP status in the details. The message is the failure's words,
 * which never hold the key.
 */
export function cloudonixFailureToAppError(failure: CloudonixFailure): AppError {
  const details = { kind: failure.kind, status: failure.status };
  if (failure.kind === 'key_refused') return new AppError('cloudonix_key_refused', failure.words, details);
  return new AppError('cloudonix_failed', failure.words, details);
}

/** Rethrows a CloudonixFailure as its AppError; other errors pass unchanged. */
export function explainCloudonixFailure(err: unknown): unknown {
  return err instanceof CloudonixFailure ? cloudonixFailureToAppError(err) : err;
}
