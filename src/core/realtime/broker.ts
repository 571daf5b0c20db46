// The in-process registry of realtime clients, indexed so that a write can tell in O(1) whether anyone
// listens to its collection (most writes have no listener, and must not pay for realtime).
import { authKeyOf, RealtimeClient } from './client.js';
import type { Subscription } from './subscription.js';
import type { Access } from '../records/index.js';

/** The part of a topic before the first `/`: a collection's name or id, or a custom topic's root. */
export function topicRoot(topic: string): string {
  const slash = topic.indexOf('/');
  return slash === -1 ? topic : topic.slice(0, slash);
}

export class ClientRegistry {
  private readonly byId = new Map<string, RealtimeClient>();
  /** Topic root -> clients with at least one subscription under it. */
  private readonly byRoot = new Map<string, Set<RealtimeClient>>();
  /** Auth key -> clients bound to that auth record, for when the record changes or goes. */
  private readonly byAuth = new Map<string, Set<RealtimeClient>>();

  get size(): number {
    return this.byId.size;
  }

  add(client: RealtimeClient): void {
    this.byId.set(client.id, client);
  }

  get(id: string): RealtimeClient | undefined {
    return this.byId.get(id);
  }

  all(): IterableIterator<RealtimeClient> {
    return this.byId.values();
  }

  remove(client: RealtimeClient): void {
    if (this.byId.get(client.id) !== client) return;
    this.byId.delete(client.id);
    this.unindex(client);
    this.unbind(client);
  }

  /** True when some client subscribed to a topic under one of these roots. */
  listened(roots: readonly string[]): boolean {
    for (const root of roots) if (this.byRoot.has(root)) return true;
    return false;
  }

  /** The clients with a subscription under one of these roots (each once). */
  listeners(roots: readonly string[]): Set<RealtimeClient> {
    const out = new Set<RealtimeClient>();
    for (const root of roots) for (const client of this.byRoot.get(root) ?? []) out.add(client);
    return out;
  }

  /** Clients bound to this auth record (`collectionId/recordId`). */
  boundTo(authKey: string): RealtimeClient[] {
    return [...(this.byAuth.get(authKey) ?? [])];
  }

  /** Replaces what `client` listens to. */
  subscribe(client: RealtimeClient, subscriptions: Subscription[]): void {
    this.unindex(client);
    client.subscriptions.clear();
    for (const s of subscriptions) {
      client.subscriptions.set(s.key, s);
      const root = topicRoot(s.topic);
      let set = this.byRoot.get(root);
      if (!set) this.byRoot.set(root, (set = new Set()));
      set.add(client);
    }
  }

  /** Binds `client` to `access` (guest included), keeping the auth index current. */
  bind(client: RealtimeClient, access: Access): void {
    this.unbind(client);
    client.access = access;
    const key = authKeyOf(access);
    if (!access.auth) return;
    let set = this.byAuth.get(key);
    if (!set) this.byAuth.set(key, (set = new Set()));
    set.add(client);
  }

  private unbind(client: RealtimeClient): void {
    const key = client.authKey;
    const set = this.byAuth.get(key);
    set?.delete(client);
    if (set?.size === 0) this.byAuth.delete(key);
  }

  private unindex(client: RealtimeClient): void {
    for (const s of client.subscriptions.values()) {
      const root = topicRoot(s.topic);
      const set = this.byRoot.get(root);
      set?.delete(client);
      if (set?.size === 0) this.byRoot.delete(root);
    }
  }
}
