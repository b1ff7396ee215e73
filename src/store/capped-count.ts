import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Database } from './schema.js';

/**
 * Lists on tables that grow with traffic count at most this many matches: an
 * exact total over a million rows costs a full scan on every page view, while
 * "10,000+" is all a person paging through calls needs.
 */
export const COUNT_CAP = 10_000;

export interface CappedTotal {
  total: number;
  /** True when there are more than COUNT_CAP matches (total is then COUNT_CAP). */
  capped: boolean;
}

/** Counts the rows of a filtered query, stopping after `cap` + 1. */
export async function cappedCount<DB extends Database, TB extends keyof DB, O>(db: Kysely<Database>, query: SelectQueryBuilder<DB, TB, O>, cap = COUNT_CAP): Promise<CappedTotal> {
  const row = await db
    .selectFrom(query.clearSelect().select(sql<number>`1`.as('one')).limit(cap + 1).as('matches'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const n = Number(row.n);
  return { total: Math.min(n, cap), capped: n > cap };
}
