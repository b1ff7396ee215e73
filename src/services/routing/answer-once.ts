import { randomUUID } from 'node:crypto';
import type { Plane } from '../../plane/plane.js';

const ANSWER_TTL_MS = 15 * 60_000;
const WAIT_FOR_FIRST_MS = 3_000;

/**
 * Runs `compute` once per key across every instance and gives every caller the
 * first answer, byte for byte: Cloudonix retries a webhook, or sends copies at
 * once, and none of them may advance a rotation or route the call twice. The
 * first caller claims the key; the others wait for its stored answer. `onLost`
 * answers if the first caller never stores one (it crashed).
 */
export async function answerOnce(plane: Plane, key: string, compute: () => Promise<string>, onLost: () => string): Promise<string> {
  const claim = await plane.rememberFirst(`${key}:claim`, randomUUID(), ANSWER_TTL_MS);
  if (claim.first) {
    const answer = await compute();
    return (await plane.rememberFirst(`${key}:answer`, answer, ANSWER_TTL_MS)).value;
  }
  const deadline = Date.now() + WAIT_FOR_FIRST_MS;
  for (let delay = 2; Date.now() < deadline; delay = Math.min(delay * 2, 50)) {
    const answer = await plane.recall(`${key}:answer`);
    if (answer !== null) return answer;
    await new Promise((r) => setTimeout(r, delay));
  }
  return onLost();
}
