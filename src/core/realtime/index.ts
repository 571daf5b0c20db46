// Realtime's public face inside core: the service, its hooks, the feed of record changes and its transport.
export { RealtimeService, type PublishOptions, type SubscribeRequest } from './realtime.js';
export { RealtimeClient, type ClientSink, type RealtimeMessage } from './client.js';
export {
  RealtimeHooks,
  type RealtimeConnectEvent,
  type RealtimeMessageEvent,
  type RealtimeSubscribeEvent,
} from './hooks.js';
export { RecordFeed, type ChangeNotice, type RealtimeTransport } from './record-feed.js';
export { busTransport } from './bus-transport.js';
export { shareSubscriptions } from './cluster-subscribe.js';
export {
  MAX_SUBSCRIPTIONS,
  MAX_SUBSCRIPTION_LENGTH,
  type Subscription,
  type SubscriptionOptions,
} from './subscription.js';
