// One dedicated PostgreSQL connection that LISTENs on a channel and comes back by itself when the connection is lost
// (a restarted server, a killed backend, a network cut), waiting a little longer after each failed attempt.
import type pg from 'pg';
import { pgDriver } from './driver.js';

/** The first wait before reconnecting; it doubles after each failed attempt up to MAX_RETRY_MS. */
const FIRST_RETRY_MS = 50;
const MAX_RETRY_MS = 2_000;

export interface NoticeListenerOptions {
  connection: pg.ClientConfig;
  /** The PostgreSQL channel (an identifier made of [a-z0-9_]). */
  channel: string;
  /** Each notice's payload, in the order PostgreSQL delivers them. */
  receive: (payload: string) => void;
  /** After a reconnect (not after the first connect): notices sent while the connection was down are lost. */
  resumed: () => void;
}

export class NoticeListener {
  private client: pg.Client | undefined;
  private closed = false;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | undefined;

  private constructor(private readonly options: NoticeListenerOptions) {}

  /** Connects and listens; rejects when the first connection fails. */
  static async start(options: NoticeListenerOptions): Promise<NoticeListener> {
    if (!/^[a-z0-9_]{1,63}$/.test(options.channel)) throw new Error(`bad channel name "${options.channel}"`);
    const listener = new NoticeListener(options);
    await listener.connect();
    return listener;
  }

  /** True while the connection is up and listening. */
  get listening(): boolean {
    return this.client !== undefined;
  }

  private async connect(): Promise<void> {
    const client = new (pgDriver().Client)({ ...this.options.connection, keepAlive: true });
    let lost = false;
    const onLost = (err?: Error) => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = undefined;
      if (this.closed) return;
      if (err) console.error(`[satchel] cluster: the listening connection was lost (${err.message}); reconnecting`);
      client.end().catch(() => undefined);
      this.scheduleReconnect();
    };
    client.on('notification', (message) => {
      if (message.channel === this.options.channel && message.payload !== undefined) {
        this.options.receive(message.payload);
      }
    });
    // A connection's error is followed by its end; both lead to one reconnect.
    client.on('error', (err) => onLost(err));
    client.on('end', () => onLost());
    try {
      await client.connect();
      await client.query(`LISTEN ${this.options.channel}`);
    } catch (err) {
      lost = true;
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryMs = FIRST_RETRY_MS;
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect().then(
        () => {
          if (!this.closed) this.options.resumed();
        },
        (err: Error) => {
          this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
          if (this.retryMs === MAX_RETRY_MS) console.error(`[satchel] cluster: reconnecting failed: ${err.message}`);
          this.scheduleReconnect();
        },
      );
    }, this.retryMs);
    this.retryTimer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
