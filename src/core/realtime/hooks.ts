// The realtime hooks: extensions see (and may refuse) connections and subscriptions, and see, change or hold
// back each message before it is written to a client.
import { Hook, type HookEvent } from '../hooks.js';
import type { Access } from '../records/index.js';
import type { RealtimeClient, RealtimeMessage } from './client.js';
import type { Subscription } from './subscription.js';

/** A new SSE connection. Throwing an ApiError refuses it with that error. */
export interface RealtimeConnectEvent extends HookEvent {
  client: RealtimeClient;
}

/**
 * A subscription request, after its client id, IP and auth were checked. Before next() a handler may change
 * `subscriptions`; throwing (e.g. `ApiError.forbidden()`) refuses the whole request and changes nothing.
 */
export interface RealtimeSubscribeEvent extends HookEvent {
  client: RealtimeClient;
  /** Who sent the request; the client is bound to it once the chain completes. */
  access: Access;
  subscriptions: Subscription[];
}

/** One message on its way to one client. A handler may change `message`, or not call next() to hold it back. */
export interface RealtimeMessageEvent extends HookEvent {
  client: RealtimeClient;
  message: RealtimeMessage;
}

export class RealtimeHooks {
  readonly onRealtimeConnectRequest = new Hook<RealtimeConnectEvent>();
  readonly onRealtimeSubscribeRequest = new Hook<RealtimeSubscribeEvent>();
  readonly onRealtimeMessageSend = new Hook<RealtimeMessageEvent>();
}
