import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';

/**
 * Case-insensitive "contains" that treats % and _ in user input literally.
 * '!' is the escape character because a backslash means different things in
 * MySQL string literals than in SQLite and PostgreSQL.
 */
export function containsInsensitive(column: Expression<unknown>, needle: string): RawBuilder<SqlBool> {
  const pattern = `%${needle.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
  return sql<SqlBool>`lower(${column}) like ${pattern} escape '!'`;
}
