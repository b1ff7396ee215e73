import { NO_FACTS, type CallFacts } from './call-event.js';

/**
 * A call's facts as JSON text, exactly `JSON.stringify(facts)`, cheaper for the usual routed
 * call's first write: facts folded from NO_FACTS with answers only (foldCallEvent keeps every
 * other member, by reference, and the key order). Then only the answers are serialised and the
 * rest is NO_FACTS's text, serialised once here.
 */
const KEYS = Object.keys(NO_FACTS);
const AFTER_ANSWERS = KEYS[0] === 'answers' ? JSON.stringify(Object.assign({}, NO_FACTS, { answers: 0 })).slice('{"answers":0'.length) : null;

/** True when `facts` is NO_FACTS with other answers: its members the same values, in the same order. */
function onlyAnswers(facts: CallFacts): boolean {
  if (typeof facts.answers !== 'object' || facts.answers === null) return false;
  if (facts.results !== NO_FACTS.results || facts.session !== NO_FACTS.session || facts.cdr !== null || facts.expiredAt !== null || facts.closedAt !== null) return false;
  let i = 0;
  for (const key in facts) if (!Object.hasOwn(facts, key) || KEYS[i++] !== key) return false;
  return i === KEYS.length;
}

export function factsText(facts: CallFacts): string {
  return AFTER_ANSWERS !== null && onlyAnswers(facts) ? `{"answers":${JSON.stringify(facts.answers)}${AFTER_ANSWERS}` : JSON.stringify(facts);
}
