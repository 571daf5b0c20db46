// Coordination of the Satchel processes on one PostgreSQL database: the bus is LISTEN/NOTIFY on one dedicated
// connection (a message too large for a notice is kept in a table and the notice names its row), the lock is an
// advisory lock, "once" is a row claimed with INSERT ... ON CONFLICT DO NOTHING.
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { assertChannel, type BusMessage, type Coordination, type MessageBus } from '../coordination.js';
import { pgDriver } from './driver.js';
import { NoticeListener } from './notice-listener.js';

/** The PostgreSQL channel every Satchel notice travels on; the bus's own channels are inside the payload. */
const PG_CHANNEL = 'satchel_cluster';
/** A NOTIFY payload must be shorter than 8000 bytes; longer messages go through _cluster_messages. */
const MAX_NOTICE_BYTES = 7_999;
/** The first key of Satchel's advisory locks (the second is the lock name's hash), apart from anyone else's. */
const LOCK_SPACE = 0x5a7c4e1;
/** Large messages are kept this long for the receivers to read, then pruned. */
const MESSAGE_TTL = '5 minutes';
/** Claimed "once" keys are kept this long (a cron tick's key is never claimed again after its minute). */
const ONCE_TTL = '1 day';
const PRUNE_EVERY_MS = 60_000;
/** Small messages sent together in one statement at most. */
const MAX_BATCH = 200;
/** The listening connection's application_name starts so (the process's origin follows): how processes count peers. */
const LISTENER_NAME = 'satchel-cluster ';
/** The bus channel of presence notices (hello, here, bye): the coordination's own, never handed to receivers. */
const PRESENCE = '_presence';
/** How often the other processes' listening connections are counted (one that died without a bye goes so). */
const COUNT_EVERY_MS = 10_000;

const TABLES = [
  `CREATE TABLE IF NOT EXISTS _cluster_messages (
     id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL, created TIMESTAMPTZ NOT NULL DEFAULT now())`,
  `CREATE TABLE IF NOT EXISTS _cluster_once (key TEXT PRIMARY KEY, created TIMESTAMPTZ NOT NULL DEFAULT now())`,
];

export type PostgresConnection = string | pg.PoolConfig;

type Receiver = (message: BusMessage) => void | Promise<void>;

/** A message waiting to be sent: its notice text when it fits in one (else it goes through the table). */
interface Outgoing {
  channel: string;
  head: string;
  body: string;
  inline: string | undefined;
  sent: () => void;
}

/** Opens the coordination of one process: its tables exist (created once, whoever starts first), it listens. */
export async function openPostgresCoordination(
  connection: PostgresConnection,
  options: { countEveryMs?: number } = {},
): Promise<Coordination> {
  const config: pg.PoolConfig = typeof connection === 'string' ? { connectionString: connection } : connection;
  const pool = new (pgDriver().Pool)({ ...config, max: 4 });
  // An idle connection that fails is dropped by the pool; the next query opens another.
  pool.on('error', (err) => console.error(`[satchel] cluster: a pooled connection failed: ${err.message}`));
  try {
    await createTables(pool);
    const cluster = new PostgresCoordination(pool, options.countEveryMs ?? COUNT_EVERY_MS);
    await cluster.listen(config);
    return cluster;
  } catch (err) {
    await pool.end();
    throw err;
  }
}

/** Two processes starting at once would race on CREATE TABLE IF NOT EXISTS: the first holds a lock meanwhile. */
async function createTables(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1, 0)', [LOCK_SPACE]);
    for (const sql of TABLES) await client.query(sql);
    await client.query('COMMIT');
    client.release();
  } catch (err) {
    client.release(err as Error);
    throw err;
  }
}

class PostgresCoordination implements Coordination {
  /** Tells this process's notices from the others'. */
  private readonly origin = randomBytes(6).toString('hex');
  private readonly receivers = new Map<string, Set<Receiver>>();
  private readonly resumers: (() => void | Promise<void>)[] = [];
  private listener: NoticeListener | undefined;
  /** Received messages are handed on one after another, in the order of their notices. */
  private inbox: Promise<void> = Promise.resolve();
  private lastPrune = { messages: 0, once: 0 };
  private readonly outbox: Outgoing[] = [];
  private sending = false;
  private sequence = 0;
  /**
   * Presence. A process alone on the database has nobody to tell: its messages (a NOTIFY per record change, which
   * the sender's own listening connection also receives) are not sent at all. Alone means both: no other process
   * has said hello or here (and not bye since), and no other process's listening connection is counted in
   * pg_stat_activity. Until the first count, nobody is assumed alone.
   */
  private readonly peers = new Set<string>();
  /** Processes that said bye while their listening connection is still there (see countListeners). */
  private readonly departed = new Set<string>();
  private otherListeners: number | undefined;
  private countTimer: NodeJS.Timeout | undefined;
  private closing = false;
  readonly bus: MessageBus;

  constructor(
    private readonly pool: pg.Pool,
    private readonly countEveryMs: number,
  ) {
    this.bus = {
      publish: (channel, message) => this.publish(channel, message),
      subscribe: (channel, receive) => this.subscribe(channel, receive),
    };
  }

  async listen(config: pg.ClientConfig): Promise<void> {
    this.listener = await NoticeListener.start({
      connection: { ...config, application_name: `${LISTENER_NAME}${this.origin}` },
      channel: PG_CHANNEL,
      receive: (payload) => this.received(payload),
      resumed: () => {
        // Hellos may have been missed while the connection was down: count again, and say hello again.
        this.otherListeners = undefined;
        this.announce();
        this.resume();
      },
    });
    this.announce();
    this.countTimer = setInterval(() => void this.countListeners(), this.countEveryMs);
    this.countTimer.unref();
  }

  /** Says hello (every process answers "here") and counts the others' listening connections. */
  private announce(): void {
    void this.publishAlways(PRESENCE, 'hello');
    void this.countListeners();
  }

  /**
   * Reads which processes have a listening connection now. A peer known before the read whose connection is gone
   * left without a bye (a crash); one heard of while the read ran stays (the read may predate its connection).
   */
  private async countListeners(): Promise<void> {
    const knownBefore = [...this.peers];
    try {
      const { rows } = await this.pool.query<{ name: string }>(
        `SELECT application_name AS name FROM pg_stat_activity
         WHERE datname = current_database() AND application_name LIKE $1`,
        [`${LISTENER_NAME}%`],
      );
      const live = new Set(rows.map((r) => r.name.slice(LISTENER_NAME.length)));
      live.delete(this.origin);
      // A process that said bye may keep its connection a moment: not counted; forgotten once it is gone.
      for (const origin of this.departed) {
        if (!live.delete(origin)) this.departed.delete(origin);
      }
      this.otherListeners = live.size;
      for (const origin of knownBefore) if (!live.has(origin)) this.peers.delete(origin);
    } catch (err) {
      if (!this.closing)
        console.error(`[satchel] cluster: counting the other processes failed: ${(err as Error).message}`);
    }
  }

  /** Reads again what the processes share (onResume): notices may have been missed. */
  private resume(): void {
    for (const fn of this.resumers) void this.deliver('resume', fn);
  }

  /** True when no other process is there to hear a message (see `peers`). */
  private alone(): boolean {
    return this.peers.size === 0 && this.otherListeners === 0;
  }

  /** What the presence notices of `origin` change: hello is answered, here may bring news, bye leaves. */
  private presence(origin: string, kind: unknown): void {
    if (kind === 'bye') {
      this.peers.delete(origin);
      this.departed.add(origin);
      void this.countListeners();
      return;
    }
    const known = this.peers.has(origin);
    this.peers.add(origin);
    if (kind === 'hello') void this.publishAlways(PRESENCE, 'here');
    else if (kind === 'here' && !known) {
      // A process that thought itself alone until our hello reached it did not send what it changed meanwhile:
      // what it shares (settings, schema) is read again, as after a lost connection.
      this.resume();
    }
  }

  /** Queued in publishing order; sent by one loop, so that they leave (and arrive) in that order. */
  private publish(channel: string, message: BusMessage): Promise<void> {
    assertChannel(channel);
    if (this.alone()) return Promise.resolve();
    return this.publishAlways(channel, message);
  }

  private publishAlways(channel: string, message: BusMessage): Promise<void> {
    // The sequence number keeps two equal messages apart: PostgreSQL folds equal notices of one transaction.
    const head = `${this.origin} ${this.sequence++} ${channel} `;
    const body = JSON.stringify(message ?? null);
    const inline = `${head}j${body}`;
    return new Promise<void>((sent) => {
      this.outbox.push({
        channel,
        head,
        body,
        inline: Buffer.byteLength(inline) <= MAX_NOTICE_BYTES ? inline : undefined,
        sent,
      });
      if (!this.sending) void this.send();
    });
  }

  /**
   * Sends the queue in order: a run of small messages in one statement (one transaction: delivered together, in
   * order), a large one as a row of _cluster_messages whose notice leaves at its commit, when the row is there.
   */
  private async send(): Promise<void> {
    this.sending = true;
    try {
      while (this.outbox.length) {
        const first = this.outbox[0]!;
        if (first.inline === undefined) {
          this.outbox.shift();
          await this.attempt([first], async () => {
            await this.pool.query(
              `WITH m AS (INSERT INTO _cluster_messages (body) VALUES ($1) RETURNING id)
               SELECT pg_notify($2, $3 || m.id) FROM m`,
              [first.body, PG_CHANNEL, `${first.head}r`],
            );
            await this.prune(
              'messages',
              `DELETE FROM _cluster_messages WHERE created < now() - interval '${MESSAGE_TTL}'`,
            );
          });
          continue;
        }
        const run: Outgoing[] = [];
        while (run.length < MAX_BATCH && this.outbox[0]?.inline !== undefined) run.push(this.outbox.shift()!);
        await this.attempt(run, () =>
          this.pool.query('SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p', [
            PG_CHANNEL,
            run.map((m) => m.inline),
          ]),
        );
      }
    } finally {
      this.sending = false;
    }
  }

  /** Never throws: a message that could not be sent is logged (the others catch up when they resume). */
  private async attempt(messages: Outgoing[], fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      const channels = [...new Set(messages.map((m) => `"${m.channel}"`))].join(', ');
      console.error(
        `[satchel] cluster: ${messages.length} message(s) on ${channels} could not be sent: ${(err as Error).message}`,
      );
    } finally {
      for (const m of messages) m.sent();
    }
  }

  private subscribe(channel: string, receive: Receiver): () => void {
    assertChannel(channel);
    let set = this.receivers.get(channel);
    if (!set) this.receivers.set(channel, (set = new Set()));
    set.add(receive);
    return () => set.delete(receive);
  }

  /** A notice: `<origin> <sequence> <channel> j<json>` or `<origin> <sequence> <channel> r<row id>`. */
  private received(payload: string): void {
    const first = payload.indexOf(' ');
    const middle = payload.indexOf(' ', first + 1);
    const second = payload.indexOf(' ', middle + 1);
    if (first < 0 || middle < 0 || second < 0) return;
    const origin = payload.slice(0, first);
    if (origin === this.origin) return; // our own
    const channel = payload.slice(middle + 1, second);
    const kind = payload[second + 1];
    const rest = payload.slice(second + 2);
    if (channel === PRESENCE) {
      if (kind === 'j') this.presence(origin, JSON.parse(rest) as unknown);
      return;
    }
    // Whoever sends is there.
    this.peers.add(origin);
    const receivers = this.receivers.get(channel);
    if (!receivers?.size) return;
    this.inbox = this.inbox
      .then(async () => {
        let text = rest;
        if (kind === 'r') {
          const { rows } = await this.pool.query<{ body: string }>('SELECT body FROM _cluster_messages WHERE id = $1', [
            rest,
          ]);
          if (!rows[0]) throw new Error(`message ${rest} on "${channel}" is gone`);
          text = rows[0].body;
        } else if (kind !== 'j') return;
        const message = JSON.parse(text) as BusMessage;
        for (const receive of receivers) await this.deliver(channel, () => receive(message));
      })
      .catch((err: Error) => {
        console.error(`[satchel] cluster: a message on "${channel}" could not be received: ${err.message}`);
      });
  }

  /** A receiver's failure is its own: logged, and the next message is delivered all the same. */
  private async deliver(channel: string, fn: () => void | Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      console.error(`[satchel] cluster: a receiver of "${channel}" failed:`, err);
    }
  }

  async withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    // A session lock on a connection of its own, held while `fn` works on the store's connections.
    const client = await this.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [LOCK_SPACE, name]);
    } catch (err) {
      client.release(err as Error);
      throw err;
    }
    try {
      return await fn();
    } finally {
      try {
        await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_SPACE, name]);
        client.release();
      } catch (err) {
        // The connection is dropped instead of reused: its session's end releases the lock.
        client.release(err as Error);
      }
    }
  }

  async once(key: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('INSERT INTO _cluster_once (key) VALUES ($1) ON CONFLICT DO NOTHING', [
      key,
    ]);
    await this.prune('once', `DELETE FROM _cluster_once WHERE created < now() - interval '${ONCE_TTL}'`);
    return rowCount === 1;
  }

  onResume(fn: () => void | Promise<void>): void {
    this.resumers.push(fn);
  }

  /** Old rows go, at most once a minute per table, by whichever process gets there. */
  private async prune(table: 'messages' | 'once', sql: string): Promise<void> {
    const now = Date.now();
    if (now - this.lastPrune[table] < PRUNE_EVERY_MS) return;
    this.lastPrune[table] = now;
    await this.pool
      .query(sql)
      .catch((err: Error) => console.error(`[satchel] cluster: pruning failed: ${err.message}`));
  }

  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.countTimer);
    // The others stop sending to a process that has gone (once none is left, they stop sending at all).
    void this.publishAlways(PRESENCE, 'bye');
    // What was published before the close still leaves (waited for 5 s at most).
    for (let i = 0; this.sending && i < 1_000; i++) await new Promise((r) => setTimeout(r, 5));
    await this.listener?.close();
    await this.inbox;
    await this.pool.end();
  }
}
