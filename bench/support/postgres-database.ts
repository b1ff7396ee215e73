import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A fresh PostgreSQL database for one benchmark run, on the server `adminUrl` points at
 * (any database there; the server's own `postgres` will do). Named vlbt_* like the test
 * databases, so a run that died before dropping it is recognisable; `drop` removes it
 * even while a killed instance still holds connections.
 */
export interface BenchDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createPostgresDatabase(adminUrl: string, label: string): Promise<BenchDatabase> {
  const name = `vlbt_${label}_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), name, drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}
