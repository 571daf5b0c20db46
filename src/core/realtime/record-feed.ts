// Record changes to subscribers: every change the write pipeline commits goes to the clients whose topics,
// rules and filters let them see it, in commit order, off the write's own path.
import type { Collection } from '../collections/model.js';
import {
  accessOf,
  EMPTY_REQUEST,
  type RecordChange,
  type RecordJson,
  type RecordService,
  type RequestInfo,
} from '../records/index.js';
import type { RealtimeClient, RealtimeMessage } from './client.js';
import type { RealtimeService } from './realtime.js';
import type { Subscription } from './subscription.js';

/** Changes waiting to be sent before the feed gives up on its listeners (they reconnect and re-read). */
const MAX_BACKLOG = 10_000;

/** A record change as other processes see it (see RealtimeTransport). */
export interface ChangeNotice {
  action: RecordChange['action'];
  collectionId: string;
  record: RecordJson;
}

/**
 * How record changes reach the Satchel processes that share one database. The feed publishes every change it
 * commits and broadcasts every notice it receives to its own clients; the default (one process) has none.
 */
export interface RealtimeTransport {
  publish(notice: ChangeNotice): void;
  /** Registers the receiver of notices published by other processes (never its own). */
  subscribe(receive: (notice: ChangeNotice) => void): void;
}

interface Delivery {
  client: RealtimeClient;
  message: RealtimeMessage;
}

/** Which of a collection's topics a subscription is, and the rule that decides what it hears. */
function ruleOf(s: Subscription, collection: Collection, id: string): 'listRule' | 'viewRule' | undefined {
  const t = s.topic;
  for (const ref of [collection.name, collection.id]) {
    if (!t.startsWith(ref)) continue;
    const rest = t.slice(ref.length);
    // `posts` alone is PocketBase's older spelling of `posts/*`.
    if (rest === '/*' || rest === '') return 'listRule';
    if (rest === `/${id}`) return 'viewRule';
  }
  return undefined;
}

function requestOf(s: Subscription): RequestInfo {
  return { ...EMPTY_REQUEST, context: 'realtime', query: s.options.query, headers: s.options.headers };
}

export class RecordFeed {
  /** Messages of deletes, worked out before the record went, sent once the delete commits. */
  private readonly pendingDeletes = new WeakMap<RecordChange, Delivery[]>();
  private queue: Promise<void> = Promise.resolve();
  private backlog = 0;

  constructor(
    private readonly realtime: RealtimeService,
    private readonly records: RecordService,
    private readonly transport?: RealtimeTransport,
  ) {
    records.writer.listen({
      beforeDelete: (change) => this.beforeDelete(change),
      committed: (changes) => this.committed(changes),
    });
    transport?.subscribe((notice) => this.received(notice));
  }

  private listened(collection: Collection): boolean {
    return this.realtime.clients.listened([collection.name, collection.id]);
  }

  /**
   * PocketBase's order: who may see a deleted record is decided just before it goes, while the records its rules
   * read (a cascaded comment's post) still exist; the messages leave after the commit, or never.
   */
  private async beforeDelete(change: RecordChange): Promise<void> {
    if (!this.listened(change.collection)) return;
    try {
      this.pendingDeletes.set(change, await this.deliveries(change));
    } catch (err) {
      // Realtime never fails a write: the delete goes on, its listeners just do not hear of it.
      console.error(`[satchel] realtime: the delete in "${change.collection.name}" could not be prepared:`, err);
      this.pendingDeletes.set(change, []);
    }
  }

  private committed(changes: RecordChange[]): void {
    for (const change of changes) {
      if (change.collection.type === 'auth') this.authChanged(change);
      this.transport?.publish({ action: change.action, collectionId: change.collection.id, record: change.record });
      if (!this.listened(change.collection)) continue;
      const pending = this.pendingDeletes.get(change);
      this.enqueue(change.collection, async () => pending ?? (await this.deliveries(change)));
    }
  }

  /** A change committed by another process. */
  private received(notice: ChangeNotice): void {
    let collection: Collection;
    try {
      collection = this.records.collection(notice.collectionId);
    } catch {
      return; // a collection this process does not serve (yet)
    }
    const change: RecordChange = { action: notice.action, collection, record: notice.record };
    if (collection.type === 'auth') this.authChanged(change);
    if (this.listened(collection)) this.enqueue(collection, () => this.deliveries(change));
  }

  /** Bound clients see their record's new values in rules; a new token key or a delete makes them guests. */
  private authChanged(change: RecordChange): void {
    const { collection, record } = change;
    if (change.action === 'delete') this.realtime.authRecordDeleted(collection.id, String(record.id));
    else if (change.action === 'update') this.realtime.authRecordChanged(accessOf(collection, record), record.tokenKey);
  }

  /**
   * Sends in commit order, one change after another, without holding up the write that made it. A feed that falls
   * too far behind disconnects the change's listeners (they reconnect and read afresh) instead of growing.
   */
  private enqueue(collection: Collection, work: () => Promise<Delivery[]>): void {
    if (this.backlog >= MAX_BACKLOG) {
      for (const client of this.realtime.clients.listeners([collection.name, collection.id])) {
        this.realtime.disconnect(client);
      }
      return;
    }
    this.backlog++;
    this.queue = this.queue.then(async () => {
      try {
        for (const { client, message } of await work()) {
          const sent = this.realtime.send(client, message);
          if (sent instanceof Promise) await sent;
        }
      } catch (err) {
        console.error(`[satchel] realtime: a change in "${collection.name}" could not be sent:`, err);
      } finally {
        this.backlog--;
      }
    });
  }

  /**
   * The messages one change makes: per subscription that names it, the record as that client may see it. Clients
   * with the same identity and the same subscription get the same answer, worked out once.
   */
  private async deliveries(change: RecordChange): Promise<Delivery[]> {
    const { collection, record, action } = change;
    const id = String(record.id);
    const answers = new Map<string, Promise<string | undefined>>();
    const wanted: { client: RealtimeClient; name: string; key: string }[] = [];
    for (const client of this.realtime.clients.listeners([collection.name, collection.id])) {
      for (const s of client.subscriptions.values()) {
        const rule = ruleOf(s, collection, id);
        if (!rule) continue;
        const key = `${client.authKey}\u0000${rule}\u0000${JSON.stringify(s.options)}`;
        if (!answers.has(key)) {
          answers.set(
            key,
            this.records
              .viewOfChange(collection, record, rule, client.access, requestOf(s))
              .then((view) => (view ? JSON.stringify({ record: view, action }) : undefined)),
          );
        }
        wanted.push({ client, name: s.key, key });
      }
    }
    const texts = new Map<string, string | undefined>();
    await Promise.all([...answers].map(async ([key, text]) => texts.set(key, await text)));
    // One message object per event name and answer: the SSE layer encodes each once for all its clients.
    const messages = new Map<string, RealtimeMessage>();
    const deliveries: Delivery[] = [];
    for (const { client, name, key } of wanted) {
      const data = texts.get(key);
      if (data === undefined) continue;
      const shared = `${key}\u0000${name}`;
      let message = messages.get(shared);
      if (!message) messages.set(shared, (message = { name, data }));
      deliveries.push({ client, message });
    }
    return deliveries;
  }
}
