// What every engine's open transaction does alike: it refuses statements once it has ended, nests as savepoints
// (or joins an all-or-nothing transaction around it), and keeps the work to run after its outcome. An engine gives
// the statements on the transaction's connection, how a savepoint statement runs, and its own error mapping.
import { StoreError } from './errors.js';
import type { Queries, ResultColumn, Row, RunResult, Transaction } from './store.js';
import { runCallbacks, type Callback } from './transaction-callbacks.js';

export abstract class OpenTransaction implements Transaction {
  private open = true;

  constructor(
    /** The engine's statements on this transaction's connection. */
    private readonly queries: Queries,
    private readonly commitCallbacks: Callback[],
    private readonly rollbackCallbacks: Callback[],
    /** Savepoints around this one (0 for the outermost transaction). */
    protected readonly depth = 0,
    /** Nested transactions join this one without a savepoint (TransactionOptions.allOrNothing). */
    private readonly joinsNested = false,
  ) {}

  /** A transaction on the same connection at `depth`, with the callback lists it adds to. */
  protected abstract nested(onCommit: Callback[], onRollback: Callback[], depth: number): OpenTransaction;

  /**
   * Runs SAVEPOINT, RELEASE SAVEPOINT or ROLLBACK TO SAVEPOINT. May answer synchronously (SQLite's are prepared
   * once and run in place): then no turn of the event loop is spent on it.
   */
  protected abstract savepoint(sql: string): void | Promise<void>;

  /** The engine's StoreError for a failure (a failure that is not the engine's is returned as it is). */
  protected abstract mapError(err: unknown): unknown;

  abstract describeQuery(sql: string): Promise<ResultColumn[]>;

  protected check(): void {
    if (!this.open) throw new StoreError('the transaction has already ended');
  }

  one<T = Row>(sql: string, params?: readonly unknown[]): Promise<T | undefined> {
    this.check();
    return this.queries.one<T>(sql, params);
  }

  all<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    this.check();
    return this.queries.all<T>(sql, params);
  }

  run(sql: string, params?: readonly unknown[]): Promise<RunResult> {
    this.check();
    return this.queries.run(sql, params);
  }

  exec(sql: string): Promise<void> {
    this.check();
    return this.queries.exec(sql);
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    this.check();
    if (this.joinsNested) return this.joined(fn);
    // Named by depth: savepoints nest as a stack, so one name per level is enough (and SQLite prepares the few
    // statements once: a batch opens one per record).
    const name = `sp_${this.depth + 1}`;
    await this.savepoint(`SAVEPOINT ${name}`);
    // A released savepoint hands its callbacks to the transaction around it: commit callbacks wait for the
    // outermost commit, rollback callbacks for a rollback of any transaction around. Rolled back, it runs its own
    // rollback callbacks now and drops its commit callbacks.
    const onCommit: Callback[] = [];
    const onRollback: Callback[] = [];
    const inner = this.nested(onCommit, onRollback, this.depth + 1);
    let result: T;
    try {
      result = await fn(inner);
      await this.savepoint(`RELEASE SAVEPOINT ${name}`);
    } catch (err) {
      inner.end();
      await this.savepoint(`ROLLBACK TO SAVEPOINT ${name}`);
      await this.savepoint(`RELEASE SAVEPOINT ${name}`);
      await runCallbacks(onRollback, 'rollback');
      throw this.mapError(err);
    }
    inner.end();
    this.commitCallbacks.push(...onCommit);
    this.rollbackCallbacks.push(...onRollback);
    return result;
  }

  /**
   * A nested transaction of an all-or-nothing one: its work and callbacks are the outer transaction's, which the
   * caller rolls back if it fails. What it nests in turn gets savepoints again.
   */
  private async joined<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    const inner = this.nested(this.commitCallbacks, this.rollbackCallbacks, this.depth);
    try {
      return await fn(inner);
    } catch (err) {
      throw this.mapError(err);
    } finally {
      inner.end();
    }
  }

  afterCommit(fn: Callback): void {
    this.check();
    this.commitCallbacks.push(fn);
  }

  afterRollback(fn: Callback): void {
    this.check();
    this.rollbackCallbacks.push(fn);
  }

  end(): void {
    this.open = false;
  }
}
