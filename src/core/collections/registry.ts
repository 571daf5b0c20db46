// The served collections, looked up by id or by name (case-insensitive) on every request.
import type { Collection } from './model.js';

export class CollectionRegistry {
  private readonly byKey = new Map<string, Collection>();
  private list: Collection[] = [];

  /** Replaces the served collections. */
  replace(collections: Collection[]): void {
    this.byKey.clear();
    this.list = collections;
    for (const c of collections) {
      this.byKey.set(c.id, c);
      this.byKey.set(c.name.toLowerCase(), c);
    }
  }

  /** The collection with this id or name, or undefined. */
  find(idOrName: string): Collection | undefined {
    return this.byKey.get(idOrName) ?? this.byKey.get(idOrName.toLowerCase());
  }

  all(): readonly Collection[] {
    return this.list;
  }
}
