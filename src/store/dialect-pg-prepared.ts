import type pg from 'pg';

/**
 * PostgreSQL named (prepared) statements for the hot path's few statement texts: the server
 * parses and plans a named statement once per connection, then only binds and runs it. An
 * unnamed one is parsed and planned on every run, which for a batch of routed calls cost about
 * as much of the server's CPU as writing the rows did (see BENCHMARKS.md, issue 23).
 * Kysely sends every statement unnamed, so the pool's clients name the registered texts
 * themselves (namingRegisteredStatements, set up by store/database.ts on each connection).
 */

/** Texts that vary with a batch's size get a name only while few exist: each costs memory per connection. */
const MAX_NAMED = 48;
const names = new Map<string, string>();

/** Registers a statement text to run as a named statement on PostgreSQL; returns the text. */
export function preparedOnPostgres(text: string): string {
  if (!names.has(text) && names.size < MAX_NAMED) names.set(text, `vlb_prepared_${names.size + 1}`);
  return text;
}

type Query = (config: unknown, values?: unknown, callback?: unknown) => unknown;

/** Makes this client run the registered texts as named statements (pg prepares each once per connection). */
export function namingRegisteredStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as Query;
  const named: Query = (config, values, callback) => {
    const name = typeof config === 'string' && Array.isArray(values) ? names.get(config) : undefined;
    return name === undefined ? query(config, values, callback) : query({ name, text: config, values }, callback);
  };
  (client as unknown as { query: Query }).query = named;
}
