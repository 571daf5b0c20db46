// A store opened on first use. The auxiliary store (request logs) is not needed to answer the first request: a
// server starts without opening its file (or pool), and its first log line, a moment later, opens it.
import type { Dialect } from './dialect.js';
import type {
  Appender,
  AppenderColumn,
  Row,
  RowShape,
  RunResult,
  Store,
  Transaction,
  TransactionOptions,
} from './store.js';

/** Rows added before the store is open; they are handed to its appender in order once it is. */
class LazyAppender implements Appender {
  private target: Appender | undefined;
  private waiting: unknown[][] = [];
  private opening: Promise<Appender> | undefined;

  constructor(private readonly open: () => Promise<Appender>) {}

  add(values: unknown[]): void {
    if (this.target) return this.target.add(values);
    this.waiting.push(values);
    // Not on the caller's path: the store opens on a later turn of the event loop.
    if (!this.opening) setImmediate(() => void this.ready().catch(() => undefined));
  }

  async flush(): Promise<void> {
    if (!this.target && !this.waiting.length) return;
    await (await this.ready()).flush();
  }

  async close(): Promise<void> {
    if (!this.target && !this.waiting.length && !this.opening) return;
    // A store that cannot open at shutdown (its directory removed, say) has already said its lines are lost.
    const target = await this.ready().catch(() => undefined);
    await target?.close();
  }

  private ready(): Promise<Appender> {
    return (this.opening ??= this.open().then(
      (target) => {
        for (const values of this.waiting) target.add(values);
        this.waiting = [];
        this.target = target;
        return target;
      },
      (err: unknown) => {
        console.error(`[satchel] ${this.waiting.length} log lines are lost: the log store did not open:`, err);
        this.waiting = [];
        throw err;
      },
    ));
  }
}

export class LazyStore implements Store {
  private opened: Promise<Store> | undefined;
  private store: Store | undefined;
  private closed = false;

  constructor(
    readonly dialect: Dialect,
    private readonly open: () => Promise<Store>,
  ) {}

  private get(): Promise<Store> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    return (this.opened ??= this.open().then((store) => (this.store = store)));
  }

  async one<T = Row>(sql: string, params?: readonly unknown[]): Promise<T | undefined> {
    return (await this.get()).one<T>(sql, params);
  }

  async all<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return (await this.get()).all<T>(sql, params);
  }

  async run(sql: string, params?: readonly unknown[]): Promise<RunResult> {
    return (await this.get()).run(sql, params);
  }

  async exec(sql: string): Promise<void> {
    return (await this.get()).exec(sql);
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T> {
    return (await this.get()).transaction(fn, options);
  }

  current(): Transaction | undefined {
    return this.store?.current();
  }

  schemaChanged(): void {
    this.store?.schemaChanged();
  }

  appender(table: string, columns: AppenderColumn[], shape?: RowShape): Appender {
    return new LazyAppender(async () => (await this.get()).appender(table, columns, shape));
  }

  async close(): Promise<void> {
    const opened = this.opened;
    this.closed = true;
    // A store that never opened has nothing to close (its failure was reported to whoever used it).
    const store = await opened?.catch(() => undefined);
    await store?.close();
  }
}
