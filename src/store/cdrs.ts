import type { Selectable } from 'kysely';
import type { Store } from './database.js';
import type { CdrsTable } from './schema.js';

export type CdrRow = Selectable<CdrsTable>;

/** Call detail records as Cloudonix delivered them, joined to our call by session token. */
export function createCdrStore({ db, dialect }: Store) {
  return {
    insert(values: Omit<CdrRow, 'id'>, trx = db): Promise<number> {
      return dialect.insertId(trx, 'cdrs', values);
    },
    listForSession(tenantId: number, sessionToken: string): Promise<CdrRow[]> {
      return db.selectFrom('cdrs').selectAll().where('tenant_id', '=', tenantId).where('session_token', '=', sessionToken).orderBy('id').execute();
    },
  };
}
export type CdrStore = ReturnType<typeof createCdrStore>;
