import type { Store } from './database.js';

/** Installation-wide facts, such as the fingerprint of the APP_KEY that sealed the stored secrets, and whether any tenant exists. */
export function createAppMetaStore({ db, dialect }: Store) {
  return {
    async get(key: string): Promise<string | undefined> {
      const row = await db.selectFrom('app_meta').select('meta_value').where('meta_key', '=', key).executeTakeFirst();
      return row?.meta_value;
    },
    /** Inserts the key in this transaction; false when it is already there (another writer got it first). */
    async claim(key: string, value: string, trx = db): Promise<boolean> {
      try {
        await trx.insertInto('app_meta').values({ meta_key: key, meta_value: value }).execute();
        return true;
      } catch (err) {
        if (dialect.isUniqueViolation(err)) return false;
        throw err;
      }
    },
    /** Whether the installation has any tenant yet (SIGNUP=first lets only the first register itself). */
    async anyTenant(): Promise<boolean> {
      return (await db.selectFrom('tenants').select('id').limit(1).executeTakeFirst()) !== undefined;
    },
    /** Sets the value only if the key is absent; returns the value that is stored afterwards. */
    async setIfAbsent(key: string, value: string): Promise<string> {
      try {
        await db.insertInto('app_meta').values({ meta_key: key, meta_value: value }).execute();
        return value;
      } catch (err) {
        if (!dialect.isUniqueViolation(err)) throw err;
        return (await this.get(key)) ?? value;
      }
    },
  };
}
export type AppMetaStore = ReturnType<typeof createAppMetaStore>;
