import type { Store } from './database.js';

/** Installation-wide facts, such as the fingerprint of the APP_KEY that sealed the stored secrets. */
export function createAppMetaStore({ db, dialect }: Store) {
  return {
    async get(key: string): Promise<string | undefined> {
      const row = await db.selectFrom('app_meta').select('meta_value').where('meta_key', '=', key).executeTakeFirst();
      return row?.meta_value;
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
