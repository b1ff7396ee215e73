import type { CompiledQuery, DatabaseConnection, Dialect, Driver, QueryResult, TransactionSettings } from 'kysely';
import { isDatabaseUnavailable } from './dialect.js';

/** A statement that only reads: running it again changes nothing. */
const READ = /^\s*(select|with\s[\s\S]*?\)\s*select)\b/i;
/** A data-modifying CTE (`with x as (insert ...) select ...`) is no read. */
const WRITES = /\b(insert|update|delete)\b/i;
/** Fresh connections a read is tried on after its own was found dead. */
const READ_RETRIES = 3;
const RETRY_PAUSE_MS = 5;

/**
 * A connection that runs a read again, on fresh connections (up to READ_RETRIES), when its own
 * turned out to be dead (a pooled connection the server dropped in a failover or
 * restart: the pool hands it out before anyone knows). Writes and anything inside
 * a transaction fail as they are: only the caller knows whether retrying them is safe.
 */
class RetryingConnection implements DatabaseConnection {
  inTransaction = false;
  constructor(
    readonly inner: DatabaseConnection,
    private readonly driver: Driver,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return await this.inner.executeQuery<R>(query);
    } catch (err) {
      if (this.inTransaction || !isDatabaseUnavailable(err) || !READ.test(query.sql) || WRITES.test(query.sql)) throw err;
      return this.again(query, err);
    }
  }

  /** A reset leaves every pooled connection dead, not just this one: each try uses (and so drops) another. */
  private async again<R>(query: CompiledQuery, first: unknown): Promise<QueryResult<R>> {
    let last = first;
    for (let attempt = 0; attempt < READ_RETRIES; attempt++) {
      // Lets the event loop read the resets already on the wire first, so the pool drops those connections.
      await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
      const fresh = await this.driver.acquireConnection();
      try {
        return await fresh.executeQuery<R>(query);
      } catch (err) {
        if (!isDatabaseUnavailable(err)) throw err;
        last = err;
      } finally {
        await this.driver.releaseConnection(fresh);
      }
    }
    throw last;
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

class RetryingDriver implements Driver {
  constructor(private readonly inner: Driver) {}
  init(): Promise<void> {
    return this.inner.init();
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    return new RetryingConnection(await this.inner.acquireConnection(), this.inner);
  }
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const c = connection as RetryingConnection;
    c.inTransaction = true;
    await this.inner.beginTransaction(c.inner, settings);
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as RetryingConnection;
    c.inTransaction = false;
    await this.inner.commitTransaction(c.inner);
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as RetryingConnection;
    c.inTransaction = false;
    await this.inner.rollbackTransaction(c.inner);
  }
  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection((connection as RetryingConnection).inner);
  }
  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/** The dialect, with reads retried on fresh connections after a lost one (see RetryingConnection). */
export function retryingReads(dialect: Dialect): Dialect {
  return {
    createDriver: () => new RetryingDriver(dialect.createDriver()),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
}
