// The logs kept in the auxiliary store: written in batches by LogWriter, listed, viewed and counted per hour with
// the filter language (GET /api/logs...), and deleted after `logs.maxDays`.
import { formatDateTime } from '../datetime.js';
import { LOG_HOUR, withoutNul, type Appender, type Store } from '../db/index.js';

/** For whoever queues free text into the logs (see Appender.add). */
export { withoutNul };
import { ApiError } from '../errors.js';
import { buildFilter, parseSort } from '../query/index.js';
import { pageParams, type ListParams } from '../records/read/list-params.js';
import type { LogsSettings } from '../settings/schema.js';
import { logFieldResolver } from './log-filter.js';
import { LOG_FIELDS, logRowShaper, type EntryLogFields, type RequestLogFields } from './log-rows.js';

export interface LogEntry {
  id: string;
  created: string;
  /** -4 debug, 0 info, 4 warn, 8 error (slog's levels, as PocketBase stores them). */
  level: number;
  message: string;
  data: Record<string, unknown>;
}

export const LOG_LEVELS = { debug: -4, info: 0, warn: 4, error: 8 } as const;

interface LogRow {
  id: string;
  level: number;
  message: string;
  data: string;
  created: string;
}

const fromRow = (row: LogRow): LogEntry => ({ ...row, data: JSON.parse(row.data) as Record<string, unknown> });

export class Logs {
  /** Entries are appended in batches off the event loop: a request only queues its raw fields. */
  private readonly writer: Appender;
  private readonly resolver;

  constructor(
    private readonly store: Store,
    private readonly settings: () => LogsSettings,
  ) {
    this.writer = store.appender(
      '_logs',
      [
        { name: 'id' },
        { name: 'level' },
        { name: 'message' },
        { name: 'data', json: true },
        { name: 'created', datetime: true },
      ],
      { fields: LOG_FIELDS, make: logRowShaper },
    );
    this.resolver = logFieldResolver(store.dialect);
  }

  /** Whether an entry of `level` would be kept (logging is off with `maxDays: 0`). */
  accepts(level: number): boolean {
    const { maxDays, minLevel } = this.settings();
    return maxDays > 0 && level >= minLevel;
  }

  /** Queues an entry, written within a moment in a batch (when its level is kept). */
  add(level: number, message: string, data: Record<string, unknown> = {}): void {
    if (!this.accepts(level)) return;
    const fields: EntryLogFields = ['entry', level, withoutNul(message), JSON.stringify(data), Date.now()];
    this.writer.add(fields);
  }

  /**
   * Queues a request's line from its raw fields (see RequestLogFields), for a caller that asked `accepts(level)`
   * itself first: the URL's secrets are masked and the entry's JSON built where the batch is written.
   */
  addRequest(fields: RequestLogFields): void {
    this.writer.add(fields);
  }

  /** Writes what is queued now (tests, shutdown). */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  /** A page of entries, PocketBase's list shape; a bad filter or sort is a 400. */
  async list(params: ListParams) {
    const { page, perPage, skipTotal } = pageParams(params);
    const where = this.where(params.filter);
    const order = this.order(params.sort);
    const items = await this.store.all<LogRow>(
      `SELECT * FROM "_logs" WHERE ${where.sql} ORDER BY ${order} LIMIT ? OFFSET ?`,
      [...where.params, perPage, (page - 1) * perPage],
    );
    let totalItems = -1;
    if (!skipTotal) {
      const row = await this.store.one<{ n: number }>(
        `SELECT COUNT(*) AS n FROM "_logs" WHERE ${where.sql}`,
        where.params,
      );
      totalItems = row?.n ?? 0;
    }
    return {
      page,
      perPage,
      totalItems,
      totalPages: totalItems < 0 ? -1 : Math.ceil(totalItems / perPage),
      items: items.map(fromRow),
    };
  }

  async view(id: string): Promise<LogEntry> {
    const row = await this.store.one<LogRow>('SELECT * FROM "_logs" WHERE "id" = ?', [id]);
    if (!row) throw ApiError.notFound();
    return fromRow(row);
  }

  /** Entries per hour, `[{total, date}]`, oldest first. */
  async stats(filter?: string): Promise<{ total: number; date: string }[]> {
    const where = this.where(filter);
    // Grouped by the indexed expression itself, so that an unfiltered count walks the index in order.
    return this.store.all(
      `SELECT COUNT(*) AS total, ${LOG_HOUR} || ':00:00' AS date FROM "_logs" WHERE ${where.sql}
       GROUP BY ${LOG_HOUR} ORDER BY ${LOG_HOUR}`,
      where.params,
    );
  }

  /** Deletes the entries older than `logs.maxDays` (a scheduled job runs it). */
  async deleteExpired(now = new Date()): Promise<number> {
    const { maxDays } = this.settings();
    const before = formatDateTime(new Date(now.getTime() - Math.max(maxDays, 0) * 86_400_000));
    return (await this.store.run('DELETE FROM "_logs" WHERE "created" <= ?', [before])).changes;
  }

  /** Deletes every entry, those still queued included. */
  async truncate(): Promise<void> {
    await this.writer.flush();
    await this.store.run('DELETE FROM "_logs"');
  }

  async close(): Promise<void> {
    await this.writer.close();
    await this.store.close();
  }

  /** The filter as SQL; a bad one throws FilterError, which the API answers with a 400. */
  private where(filter: string | undefined) {
    if (!filter?.trim()) return { sql: '1 = 1', params: [] as unknown[] };
    const compiled = buildFilter(filter, this.resolver);
    return { sql: `(${compiled.sql})`, params: compiled.params };
  }

  private order(sort: string | undefined): string {
    const terms = parseSort(sort ?? '').map(
      ({ name, desc }) => `${this.resolver.resolve(name).sql} ${desc ? 'DESC' : 'ASC'}`,
    );
    // Newest first unless asked otherwise; the row order breaks ties.
    return [...terms, `${this.store.dialect.rowOrder('"_logs"')} DESC`].join(', ');
  }
}
