// The PostgreSQL store: a pg pool behind the async Store interface. Reads run on any pooled connection; so do write
// transactions, each on a connection of its own, concurrently, as PostgreSQL is made to (its commits share WAL
// flushes). No writer lock: the engine's read-check-write steps hold their own ground through constraints, atomic
// statements and row locks (Dialect.rowLocks), and a lock wait longer than the busy timeout fails as StoreBusy.
import { AsyncLocalStorage } from 'node:async_hooks';
import type pg from 'pg';
import type {
  Appender,
  AppenderColumn,
  Queries,
  ResultColumn,
  Row,
  RowShape,
  RunResult,
  Store,
  Transaction,
  TransactionOptions,
} from '../store.js';
import { runCallbacks, type Callback } from '../transaction-callbacks.js';
import { OpenTransaction } from '../open-transaction.js';
import { QueryRejected } from '../errors.js';
import { PostgresAppender } from './appender.js';
import { openPool } from './connection.js';
import { postgresDialect } from './dialect.js';
import { mapPostgresError } from './errors.js';
import { hasSeveralStatements, numberPlaceholders } from './placeholders.js';
import { isStalePlan, PreparedNames } from './prepared.js';

export interface PostgresStoreOptions {
  /** How long a statement waits for a lock another transaction holds before failing with StoreBusy (default 5 s). */
  busyTimeoutMs?: number;
  /** Connections at most (default 10): reads and write transactions run in parallel on them. */
  poolSize?: number;
}

type Client = pg.Pool | pg.PoolClient;

const asParams = (params: readonly unknown[] | undefined) => (params ?? []) as unknown[];

/**
 * Runs one statement. With `prepared` (reads on the pool, never inside a transaction, where a failed statement
 * would abort the transaction) a repeated statement runs under a name, and again unnamed if the schema moved.
 */
async function query(
  client: Client,
  sql: string,
  params?: readonly unknown[],
  prepared?: PreparedNames,
): Promise<pg.QueryResult> {
  const text = numberPlaceholders(sql);
  const values = asParams(params);
  try {
    const name = prepared?.nameOf(text);
    if (name === undefined) return await client.query(text, values);
    try {
      return await client.query({ name, text, values });
    } catch (err) {
      if (!isStalePlan(err)) throw err;
      prepared!.reset();
      return await client.query(text, values);
    }
  } catch (err) {
    throw mapPostgresError(err);
  }
}

/** Statements on a pooled connection, or on the pool itself (each one on whichever connection is free). */
class ClientQueries implements Queries {
  constructor(
    protected readonly client: Client,
    private readonly prepared?: PreparedNames,
  ) {}

  async one<T = Row>(sql: string, params?: readonly unknown[]): Promise<T | undefined> {
    return (await query(this.client, sql, params, this.prepared)).rows[0] as T | undefined;
  }

  async all<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return (await query(this.client, sql, params, this.prepared)).rows as T[];
  }

  async run(sql: string, params?: readonly unknown[]): Promise<RunResult> {
    return { changes: (await query(this.client, sql, params, this.prepared)).rowCount ?? 0 };
  }

  async exec(sql: string): Promise<void> {
    try {
      await this.client.query(sql);
    } catch (err) {
      throw mapPostgresError(err);
    }
  }
}

/** An open write transaction on a pooled connection of its own. */
class PostgresTransaction extends OpenTransaction {
  constructor(
    private readonly client: pg.PoolClient,
    onCommit: Callback[],
    onRollback: Callback[],
    depth = 0,
    joinsNested = false,
  ) {
    super(new ClientQueries(client), onCommit, onRollback, depth, joinsNested);
  }

  protected nested(onCommit: Callback[], onRollback: Callback[], depth: number): PostgresTransaction {
    return new PostgresTransaction(this.client, onCommit, onRollback, depth);
  }

  protected savepoint(sql: string): Promise<void> {
    return this.exec(sql);
  }

  protected mapError(err: unknown): unknown {
    return mapPostgresError(err);
  }

  async describeQuery(sql: string): Promise<ResultColumn[]> {
    this.check();
    if (!/^\s*(select|with)\b/i.test(sql)) throw new QueryRejected('the query must be a SELECT');
    if (hasSeveralStatements(sql)) throw new QueryRejected('the query must only read (one SELECT, no writes)');
    // Run for its result's shape only, in a savepoint: a failing query must not abort the transaction. As a
    // subquery, a data-modifying WITH is refused by the database itself.
    const client = this.client;
    let fields: pg.FieldDef[];
    await client.query('SAVEPOINT describe_query');
    try {
      fields = (await client.query(`SELECT * FROM (${sql.trim().replace(/;+$/, '')}) AS "q" LIMIT 0`)).fields;
    } catch (err) {
      await client.query('ROLLBACK TO SAVEPOINT describe_query');
      await client.query('RELEASE SAVEPOINT describe_query');
      throw new QueryRejected((err as Error).message ?? String(err), { cause: err });
    }
    await client.query('RELEASE SAVEPOINT describe_query');
    const sources = fields.filter((f) => f.tableID !== 0);
    const names = new Map<string, { table: string; column: string; type: string }>();
    if (sources.length) {
      const rows = await client.query<{ oid: number; attnum: number; table: string; column: string; type: string }>(
        `SELECT c.oid::int AS oid, a.attnum::int AS attnum, c.relname AS table, a.attname AS column,
           format_type(a.atttypid, a.atttypmod) AS type
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
         WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0`,
        [[...new Set(sources.map((f) => f.tableID))]],
      );
      for (const r of rows.rows) names.set(`${r.oid}:${r.attnum}`, r);
    }
    return fields.map((f) => {
      const source = names.get(`${f.tableID}:${f.columnID}`);
      return {
        name: f.name,
        table: source?.table ?? null,
        column: source?.column ?? null,
        declaredType: source?.type ?? null,
      };
    });
  }
}

export class PostgresStore implements Store {
  readonly dialect = postgresDialect;
  private readonly pool: pg.Pool;
  private readonly reads: ClientQueries;
  private readonly prepared = new PreparedNames();
  /** The transaction of the current async flow: a hook calling back into the engine joins it. */
  private readonly flow = new AsyncLocalStorage<PostgresTransaction>();
  /** Top-level transactions open now, in any async flow (several at once: nothing serializes them). */
  private openTransactions = 0;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly url: string,
    options: PostgresStoreOptions = {},
  ) {
    this.pool = openPool(url, { max: options.poolSize, lockTimeoutMs: options.busyTimeoutMs ?? 5000 });
    this.reads = new ClientQueries(this.pool, this.prepared);
  }

  current(): Transaction | undefined {
    return this.flow.getStore();
  }

  one<T = Row>(sql: string, params?: readonly unknown[]): Promise<T | undefined> {
    return (this.flow.getStore() ?? this.reads).one<T>(sql, params);
  }

  all<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return (this.flow.getStore() ?? this.reads).all<T>(sql, params);
  }

  /**
   * A write outside a transaction: one statement, atomic alone, committed on whichever connection is free (no
   * BEGIN / COMMIT round trips), prepared by name as reads are.
   */
  run(sql: string, params?: readonly unknown[]): Promise<RunResult> {
    return (this.flow.getStore() ?? this.reads).run(sql, params);
  }

  exec(sql: string): Promise<void> {
    const tx = this.flow.getStore();
    if (tx) return tx.exec(sql);
    return this.write((client) => new ClientQueries(client).exec(sql));
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const open = this.flow.getStore();
    if (open) return open.transaction(fn);
    const onCommit: Callback[] = [];
    const onRollback: Callback[] = [];
    let failure: { err: unknown } | undefined;
    let result: T;
    try {
      result = await this.write(async (client) => {
        const tx = new PostgresTransaction(client, onCommit, onRollback, 0, options.allOrNothing === true);
        this.openTransactions++;
        try {
          return await this.flow.run(tx, () => fn(tx));
        } finally {
          tx.end();
          // Tracking async flows costs every promise something; it is only needed while a transaction is open. It is
          // stopped for every flow at once: only when the last open transaction ends, the others keep theirs.
          if (--this.openTransactions === 0) this.flow.disable();
        }
      });
    } catch (err) {
      failure = { err };
    }
    if (failure) {
      await runCallbacks(onRollback, 'rollback');
      throw failure.err;
    }
    await runCallbacks(onCommit);
    return result!;
  }

  schemaChanged(): void {
    this.prepared.reset();
  }

  /** Statements prepared by name on each connection (bounded). */
  get cachedStatements(): number {
    return this.prepared.size;
  }

  appender(table: string, columns: AppenderColumn[], shape?: RowShape): Appender {
    return new PostgresAppender(this.pool, table, columns, shape);
  }

  /** A read-only REPEATABLE READ transaction on a connection of its own: one snapshot, holding up no writer. */
  async readSnapshot<T>(fn: (reads: Queries) => Promise<T>): Promise<T> {
    const client = await this.pool.connect().catch((err: unknown) => Promise.reject(mapPostgresError(err)));
    let broken: Error | undefined;
    try {
      await query(client, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const result = await fn(new ClientQueries(client));
      await query(client, 'COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch((e: unknown) => (broken = e as Error));
      throw err;
    } finally {
      client.release(broken);
    }
  }

  close(): Promise<void> {
    // Closing twice is closing once (SQLite's store allows it too). Transactions still open end on their own: the
    // pool waits for their connections to come back.
    this.closing ??= this.pool.ended ? Promise.resolve() : this.pool.end();
    return this.closing;
  }

  /** Runs `work` in a transaction on a connection of its own; committed when it resolves, else rolled back. */
  private async write<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient | undefined;
    // A connection whose transaction could not be ended may be broken: the pool drops it instead of reusing it.
    let broken: Error | undefined;
    const rollback = async () => {
      try {
        await client!.query('ROLLBACK');
      } catch (err) {
        broken = err as Error;
      }
    };
    try {
      const c = await this.pool.connect().catch((err: unknown) => Promise.reject(mapPostgresError(err)));
      client = c;
      try {
        await c.query('BEGIN');
      } catch (err) {
        await rollback();
        throw mapPostgresError(err);
      }
      let result: T;
      try {
        result = await work(c);
      } catch (err) {
        await rollback();
        throw mapPostgresError(err);
      }
      try {
        await c.query('COMMIT');
      } catch (err) {
        await rollback();
        throw mapPostgresError(err);
      }
      return result;
    } finally {
      client?.release(broken);
    }
  }

  /** The database this store is on (without the password), for messages. */
  get location(): string {
    const url = new URL(this.url);
    url.password = '';
    return url.toString();
  }
}
