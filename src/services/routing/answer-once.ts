import { randomUUID } from 'node:crypto';
import type { Plane } from '../../plane/plane.js';
import type { Logger } from '../logger.js';

/**
 * How long a request's claim and answer are kept: long enough for copies sent at once and for
 * Cloudonix's retries of a request it got no answer to, short enough that the plane holds the
 * calls of the last two minutes rather than of the last quarter hour. A copy later than this
 * is told apart by the record (see core/lifecycle/repeat-answer.ts): nothing is routed or stored again.
 */
export const ANSWER_TTL_MS = 2 * 60_000;
const WAIT_FOR_FIRST_MS = 3_000;

/**
 * A claim's value only has to differ from every other instance's: this process's random id and a
 * count, rather than a random UUID per request (its entropy and formatting, on every routed call).
 */
const CLAIMANT = randomUUID();
let claims = 0;

export interface AnswerOnce {
  key: string;
  /**
   * A counter read in the claim's own atomic step (no round trip of its own): the tenant's
   * configuration version, read after the request arrived, so a change committed before it is seen.
   */
  counterKey: string;
  /** Computes the answer; `counter` is the value read at `counterKey`. */
  compute: (counter: number) => Promise<string>;
  /** Answers a copy whose first caller never stored an answer (it crashed, or the plane failed). */
  onLost: () => string;
}

/**
 * Runs `compute` once per key across every instance and gives every caller the
 * first answer, byte for byte: Cloudonix retries a webhook, or sends copies at
 * once, and none of them may advance a rotation or route the call twice. The
 * first caller claims the key; the others wait for its stored answer.
 *
 * The first caller does not wait for its answer to be stored: only the claim's
 * holder writes that key, so the answer it returns is the one stored, and the
 * store leaves in the same turn of the event loop as the reply, so a retry (which
 * comes after the reply reached Cloudonix) finds it; copies already waiting poll
 * until it lands. The embedded plane answers the claim and the store at once (no
 * promise for either).
 */
export async function answerOnce(plane: Plane, logger: Logger, { key, counterKey, compute, onLost }: AnswerOnce): Promise<string> {
  const claimKey = `${key}:claim`;
  const token = `${CLAIMANT}:${(claims += 1)}`;
  const claim = plane.immediate?.rememberFirstAndPeek(claimKey, token, ANSWER_TTL_MS, counterKey) ?? (await plane.rememberFirstAndPeek(claimKey, token, ANSWER_TTL_MS, counterKey));
  if (claim.first) {
    const answer = await compute(claim.counter);
    if (plane.immediate) plane.immediate.rememberFirst(`${key}:answer`, answer, ANSWER_TTL_MS);
    else {
      plane.rememberFirst(`${key}:answer`, answer, ANSWER_TTL_MS).catch((err: unknown) => {
        logger.error({ err, key }, 'could not store a webhook answer; copies of the request will get the fallback');
      });
    }
    return answer;
  }
  const deadline = Date.now() + WAIT_FOR_FIRST_MS;
  for (let delay = 2; Date.now() < deadline; delay = Math.min(delay * 2, 50)) {
    const answer = await plane.recall(`${key}:answer`);
    if (answer !== null) return answer;
    await new Promise((r) => setTimeout(r, delay));
  }
  return onLost();
}
