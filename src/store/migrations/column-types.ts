import {
  MysqlAdapter,
  PostgresAdapter,
  sql,
  type ColumnDataType,
  type ColumnDefinitionBuilder,
  type CreateTableBuilder,
  type Expression,
  type Kysely,
} from 'kysely';

/**
 * Column types that differ by dialect, decided from the Kysely adapter so the
 * migrations import no application code.
 */
export interface ColumnTypes {
  /** Auto-increment integer primary key: its type and its constraints. */
  id: ColumnDataType | Expression<unknown>;
  primaryId: (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
  /** Epoch milliseconds. */
  millis: ColumnDataType;
  /** A JSON document. */
  json: ColumnDataType | Expression<unknown>;
  /** Unbounded text. */
  text: ColumnDataType | Expression<unknown>;
  isMysql: boolean;
  isPostgres: boolean;
  /** Table options: utf8mb4 on MariaDB/MySQL whatever the server's default, so any Unicode text fits. */
  tableOptions: <T extends string, C extends string>(b: CreateTableBuilder<T, C>) => CreateTableBuilder<T, C>;
}

// PostgreSQL gets SERIAL instead: Kysely would emit MySQL's AUTO_INCREMENT there.
const autoIncrementId = (c: ColumnDefinitionBuilder) => c.primaryKey().autoIncrement();

export function columnTypes(db: Kysely<unknown>): ColumnTypes {
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof PostgresAdapter) {
    return { id: 'serial', primaryId: (c) => c.primaryKey(), millis: 'bigint', json: 'jsonb', text: 'text', isMysql: false, isPostgres: true, tableOptions: (b) => b };
  }
  if (adapter instanceof MysqlAdapter) {
    // MEDIUMTEXT: decision traces and raw payloads can pass TEXT's 64 KiB.
    return { id: 'integer', primaryId: autoIncrementId, millis: 'bigint', json: sql`mediumtext`, text: sql`mediumtext`, isMysql: true, isPostgres: false, tableOptions: (b) => b.modifyEnd(sql`default character set utf8mb4 collate utf8mb4_unicode_ci`) };
  }
  return { id: 'integer', primaryId: autoIncrementId, millis: 'integer', json: 'text', text: 'text', isMysql: false, isPostgres: false, tableOptions: (b) => b };
}

/** DROP INDEX: only MariaDB/MySQL name the table, and SQLite and PostgreSQL refuse it. */
export async function dropIndex(db: Kysely<unknown>, table: string, name: string): Promise<void> {
  const drop = db.schema.dropIndex(name);
  await (columnTypes(db).isMysql ? drop.on(table) : drop).execute();
}
