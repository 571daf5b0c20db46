// The realtime service: clients connect, choose what they hear, and get record changes (see record-feed.ts) and
// custom messages. Transport-free: the SSE layer in src/api/realtime.ts gives each client a sink.
import { ApiError } from '../errors.js';
import { GUEST, type Access, type RecordService } from '../records/index.js';
import { ClientRegistry } from './broker.js';
import { authKeyOf, RealtimeClient, type ClientSink, type RealtimeMessage } from './client.js';
import { RealtimeHooks, type RealtimeMessageEvent } from './hooks.js';
import { parseSubscriptions } from './subscription.js';

export interface SubscribeRequest {
  clientId: unknown;
  subscriptions: unknown;
  /** Who sends the request (from its token). */
  access: Access;
  /** The request's IP: it must be the connection's. */
  ip: string;
}

export interface PublishOptions {
  /** Only to the clients this answers true for (e.g. one user's connections). */
  to?: (client: RealtimeClient) => boolean;
}

const TOKEN_KEY = 'satchel.tokenKey';

export class RealtimeService {
  readonly hooks = new RealtimeHooks();
  readonly clients = new ClientRegistry();
  /**
   * For a client this process does not hold: asks the other processes sharing the database (set by
   * shareSubscriptions in a cluster). Resolves once the holder applied the request; rejects with its refusal.
   */
  elsewhere?: (request: SubscribeRequest & { clientId: string }) => Promise<void>;

  constructor(private readonly records: RecordService) {}

  /** Registers a new connection and greets it with `PB_CONNECT` (its id), as the SDKs expect. */
  async connect(ip: string, sink: ClientSink): Promise<RealtimeClient> {
    const client = new RealtimeClient(ip, sink);
    const hook = this.hooks.onRealtimeConnectRequest;
    if (!hook.isEmpty()) await hook.trigger({ client }, [], () => undefined);
    this.clients.add(client);
    await this.send(client, { name: 'PB_CONNECT', data: JSON.stringify({ clientId: client.id }) });
    return client;
  }

  disconnect(client: RealtimeClient): void {
    this.clients.remove(client);
    client.close();
  }

  /**
   * Replaces what a client hears, as POST /api/realtime: the client must exist (404), come from the same IP (400)
   * and either be a guest so far or be bound to the same auth record (403); then it is bound to the sender.
   */
  async subscribe(request: SubscribeRequest): Promise<void> {
    const { clientId } = request;
    if (typeof clientId !== 'string' || clientId.length < 1 || clientId.length > 255) {
      throw ApiError.badRequest(undefined, {
        clientId: { code: 'validation_required', message: 'Cannot be blank.' },
      });
    }
    const subscriptions = parseSubscriptions(request.subscriptions);
    const client = this.clients.get(clientId);
    if (!client && this.elsewhere) return this.elsewhere({ ...request, clientId });
    if (!client) throw ApiError.notFound('Missing or invalid client id.');
    if (client.ip !== request.ip) throw ApiError.badRequest('Invalid realtime client.');
    // A client follows its app's sign-in and sign-out (guest -> user, user -> guest); a client bound to one user
    // is refused to another, as PocketBase refuses it. (PocketBase refuses the sign-out too; hearing less is
    // never a leak, and an app that signs out keeps its connection.)
    const bound = client.authKey;
    const asked = authKeyOf(request.access);
    if (bound !== '' && asked !== '' && bound !== asked) {
      throw ApiError.forbidden("The current and the previous request authorization don't match.");
    }
    const apply = async (access: Access, list: typeof subscriptions) => {
      // The token key the record has now: when it changes (a new password), the client stops being signed in.
      const tokenKey = access.auth && (await this.storedTokenKey(access));
      this.clients.bind(client, access);
      client.store.set(TOKEN_KEY, tokenKey);
      this.clients.subscribe(client, list);
    };
    const hook = this.hooks.onRealtimeSubscribeRequest;
    if (hook.isEmpty()) return apply(request.access, subscriptions);
    await hook.trigger({ client, access: request.access, subscriptions }, [], (e) => apply(e.access, e.subscriptions));
  }

  private async storedTokenKey(access: Access): Promise<unknown> {
    const auth = access.auth!;
    return (await this.records.storedById(this.records.collection(auth.collectionId), auth.id))?.tokenKey;
  }

  /**
   * Writes a message to a client through the message hook. False when it was held back or the client is gone.
   * Without a hook bound it answers at once (no promise): a fan-out to thousands of clients stays one loop.
   */
  send(client: RealtimeClient, message: RealtimeMessage): boolean | Promise<boolean> {
    const hook = this.hooks.onRealtimeMessageSend;
    if (hook.isEmpty()) return client.write(message);
    let sent = false;
    return hook
      .trigger({ client, message }, [], (e: RealtimeMessageEvent) => {
        sent = e.client.write(e.message);
      })
      .then(() => sent);
  }

  /**
   * Sends `data` (any JSON value) to every client subscribed to `topic` (with or without options), under the
   * event name of its subscription. Answers how many messages went out.
   */
  async publish(topic: string, data: unknown, options: PublishOptions = {}): Promise<number> {
    const text = JSON.stringify(data ?? null);
    let sent = 0;
    for (const client of this.clients.listeners([topic.split('/')[0]!])) {
      if (options.to && !options.to(client)) continue;
      for (const s of client.subscriptions.values()) {
        if (s.topic === topic && (await this.send(client, { name: s.key, data: text }))) sent++;
      }
    }
    return sent;
  }

  /**
   * An auth record changed: clients bound to it see its new values in their rules, or become guests when its
   * token key changed (a password change or reset signs every session out, realtime ones included).
   */
  authRecordChanged(access: Access, tokenKey: unknown): void {
    if (!access.auth) return;
    for (const client of this.clients.boundTo(authKeyOf(access))) {
      this.clients.bind(client, client.store.get(TOKEN_KEY) === tokenKey ? access : GUEST);
    }
  }

  /** An auth record is gone: its clients become guests. */
  authRecordDeleted(collectionId: string, id: string): void {
    for (const client of this.clients.boundTo(`${collectionId}/${id}`)) this.clients.bind(client, GUEST);
  }

  /** Ends every connection (server shutdown): SSE clients then reconnect to whatever serves next. */
  closeAll(): void {
    for (const client of [...this.clients.all()]) this.disconnect(client);
  }
}
