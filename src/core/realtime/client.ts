// One realtime connection as the engine sees it: who it is, what it listens to, and where its messages go.
import { GUEST, type Access } from '../records/index.js';
import { randomString } from '../ids.js';
import type { Subscription } from './subscription.js';

/** A message for one client: an event name (the subscription it answers) and its JSON text. */
export interface RealtimeMessage {
  name: string;
  data: string;
}

/**
 * Where a client's messages go (the SSE stream). `send` answers false when the client cannot keep up: its
 * queue is full, so the connection is dropped rather than buffered without limit.
 */
export interface ClientSink {
  /** `clientId` is the id of the client the message is for (SSE puts it in every event's `id:` line). */
  send(message: RealtimeMessage, clientId: string): boolean;
  /** Ends the connection (server shutdown, a client that fell behind, a hook that refused it). */
  close(): void;
}

/** Who a client is bound to, as one string: guest, superuser or `collectionId/recordId`. */
export function authKeyOf(access: Access): string {
  if (access.auth) return `${access.auth.collectionId}/${access.auth.id}`;
  return access.superuser ? '@superuser' : '';
}

export class RealtimeClient {
  /** 40 random characters, as PocketBase's: knowing it is what lets a POST change this client's topics. */
  readonly id = randomString(40);
  /** The auth bound by the last accepted subscription request (guest until then). */
  access: Access = GUEST;
  /** Keyed by the subscription as sent. */
  readonly subscriptions = new Map<string, Subscription>();
  /** Anything a hook wants to keep with the connection. */
  readonly store = new Map<string, unknown>();
  closed = false;

  constructor(
    /** The client's IP: a subscription request from another address is refused. */
    readonly ip: string,
    private readonly sink: ClientSink,
  ) {}

  get authKey(): string {
    return authKeyOf(this.access);
  }

  /** Writes one message; false (and the connection closed) when the client cannot keep up. */
  write(message: RealtimeMessage): boolean {
    if (this.closed) return false;
    if (this.sink.send(message, this.id)) return true;
    this.close();
    return false;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sink.close();
  }
}
