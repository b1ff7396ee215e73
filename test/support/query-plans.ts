import { CompiledQuery, sql, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import type { Store } from '../../src/store/database.js';

/**
 * Which indexes of a table a database's planner picks for a query: the query's own
 * plan (SQLite EXPLAIN QUERY PLAN, PostgreSQL EXPLAIN (FORMAT JSON), MariaDB EXPLAIN
 * FORMAT=JSON), so a test can say "this query reads this index" on every backend.
 */

/** A store whose queries are kept as they run, so the product's own code builds what is explained. */
export function recordingStore(store: Store): { store: Store; take(): CompiledQuery[] } {
  const nodes: RootOperationNode[] = [];
  const plugin: KyselyPlugin = {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      nodes.push(args.node);
      return args.node;
    },
    transformResult: async (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> => args.result,
  };
  const executor = store.db.getExecutor();
  return {
    store: { ...store, db: store.db.withPlugin(plugin) },
    take: () => nodes.splice(0).map((node) => executor.compileQuery(node, { queryId: 'explained' })),
  };
}

/** SQLite names a table's UNIQUE constraint's index itself; the migration's name is what the documents use. */
const SQLITE_UNIQUE_NAMES: Record<string, string> = { sqlite_autoindex_call_records_1: 'call_records_tenant_session_uq' };

/** The table's own order by id: SQLite's rowid, PostgreSQL's `<table>_pkey`, MariaDB's PRIMARY. */
export const PRIMARY_KEY = 'call_records primary key';

/** MariaDB's plan of a MIN/MAX it answered from an index's ends while planning (it names no index). */
export const PLANNED_AWAY = 'call_records (an index end, read while planning)';

function collect(value: unknown, key: string, out: string[]): void {
  if (Array.isArray(value)) for (const v of value) collect(v, key, out);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === key && typeof v === 'string') out.push(v);
      else collect(v, key, out);
    }
  }
}

/** MariaDB names a table's chosen key beside its name; PRIMARY is only call_records' when the table is (the store's alias r). */
function collectMariaDbKeys(value: unknown, out: string[]): void {
  if (Array.isArray(value)) for (const v of value) collectMariaDbKeys(v, out);
  else if (value !== null && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    if ((node.table_name === 'r' || node.table_name === 'call_records') && typeof node.key === 'string') out.push(node.key === 'PRIMARY' ? PRIMARY_KEY : node.key);
    for (const v of Object.values(node)) collectMariaDbKeys(v, out);
  }
}

/**
 * The indexes whose name starts with `prefix` that the plan of `query` reads. PostgreSQL
 * plans with sequential scans off, so with few rows it still shows the index it would
 * pick among indexes (the brief's rule for small test tables); the others read statistics.
 */
export async function indexesRead(store: Store, query: CompiledQuery, prefix: string): Promise<string[]> {
  const found: string[] = [];
  const name = store.dialect.name;
  if (name === 'sqlite') {
    const plan = await store.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]));
    for (const row of plan.rows) {
      for (const m of row.detail.matchAll(/USING (?:COVERING )?INDEX (\S+)/g)) found.push(SQLITE_UNIQUE_NAMES[m[1]!] ?? m[1]!);
      // Only call_records is searched by its rowid under the alias the store gives it, or its own name.
      if (/^SEARCH (r|call_records) USING INTEGER PRIMARY KEY/.test(row.detail)) found.push(PRIMARY_KEY);
    }
  } else if (name === 'postgres') {
    await store.db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      const plan = await trx.executeQuery<{ 'QUERY PLAN': unknown }>(CompiledQuery.raw(`explain (format json) ${query.sql}`, [...query.parameters]));
      collect(plan.rows[0]!['QUERY PLAN'], 'Index Name', found);
      for (let i = 0; i < found.length; i++) if (found[i] === 'call_records_pkey') found[i] = PRIMARY_KEY;
    });
  } else {
    const plan = await store.db.executeQuery<{ EXPLAIN: string }>(CompiledQuery.raw(`explain format=json ${query.sql}`, [...query.parameters]));
    collectMariaDbKeys(JSON.parse(plan.rows[0]!.EXPLAIN), found);
    // MIN/MAX over an index's leading columns is read from the index's ends while planning: no key is named.
    if (plan.rows[0]!.EXPLAIN.includes('Select tables optimized away')) found.push(PLANNED_AWAY);
  }
  return [...new Set(found.filter((n) => n.startsWith(prefix)))];
}

/** Every secondary index on `table` (the primary key left out), by name. */
export async function indexesOn(store: Store, table: string): Promise<string[]> {
  const name = store.dialect.name;
  let names: string[];
  if (name === 'sqlite') {
    const rows = await store.db.executeQuery<{ name: string; origin: string }>(CompiledQuery.raw(`pragma index_list('${table}')`));
    names = rows.rows.filter((r) => r.origin !== 'pk').map((r) => SQLITE_UNIQUE_NAMES[r.name] ?? r.name);
  } else if (name === 'postgres') {
    const rows = await store.db.executeQuery<{ indexname: string }>(CompiledQuery.raw('select indexname from pg_indexes where schemaname = current_schema() and tablename = $1', [table]));
    names = rows.rows.map((r) => r.indexname).filter((n) => n !== `${table}_pkey`);
  } else {
    const rows = await store.db.executeQuery<{ name: string }>(
      CompiledQuery.raw('select distinct index_name as name from information_schema.statistics where table_schema = database() and table_name = ?', [table]),
    );
    names = rows.rows.map((r) => r.name).filter((n) => n !== 'PRIMARY');
  }
  return names.sort();
}

/** Fresh statistics, so MariaDB and PostgreSQL plan with the rows the test seeded. */
export async function refreshStatistics(store: Store, table: string): Promise<void> {
  const name = store.dialect.name;
  const statement = name === 'mysql' ? `analyze table ${table}` : name === 'postgres' ? `analyze ${table}` : 'analyze';
  await store.db.executeQuery(CompiledQuery.raw(statement));
}
