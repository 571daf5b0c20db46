// The collections directory as the collections API writes it: one JSON file per collection, written atomically
// (a temporary file, then a rename), in a stable format, and never over a file someone changed on disk since the
// server read it.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../errors.js';
import { randomString } from '../ids.js';
import type { CollectionFileEntry } from './load.js';

/** A collection file's new content, or null to remove it. */
export type FileChange = { name: string; json: Record<string, unknown> | null };

/** How the API writes a collection: two-space JSON and a final newline, keys in the order given. */
export function formatCollectionFile(json: Record<string, unknown>): string {
  return `${JSON.stringify(json, null, 2)}\n`;
}

export class CollectionFiles {
  /** What each file held when the server read or wrote it, by file name. */
  private readonly known = new Map<string, string>();

  constructor(
    readonly dir: string,
    entries: readonly CollectionFileEntry[],
  ) {
    for (const e of entries) this.known.set(e.file, e.text);
  }

  /** True when `entries` are exactly the files, with the texts, the server last read or wrote. */
  matches(entries: readonly CollectionFileEntry[]): boolean {
    return entries.length === this.known.size && entries.every((e) => this.known.get(e.file) === e.text);
  }

  /** The files as they are now on disk become what the server knows (after a reload). */
  remember(entries: readonly CollectionFileEntry[]): void {
    this.known.clear();
    for (const e of entries) this.known.set(e.file, e.text);
  }

  fileOf(name: string): string {
    return join(this.dir, `${name}.json`);
  }

  /** 409 when a file this change touches was changed (or created) on disk since the server last saw it. */
  assertUnchanged(names: readonly string[]): void {
    for (const name of names) {
      const file = this.fileOf(name);
      const now = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
      if (now !== this.known.get(file)) {
        throw new ApiError(
          409,
          `The collection file ${file} was changed on disk since the server loaded it; restart the server to load it before changing the collection through the API.`,
        );
      }
    }
  }

  /**
   * Another process changed these collections through its API: the files follow, so that a restart of this process
   * serves what the database holds. A file already as the change made it (a directory both processes share) is only
   * taken as known; one that is as this process knew it is written; one changed since by someone else (a later
   * change, a hand edit) is left alone. Never throws: the database, not this copy, is what the processes serve.
   */
  follow(changes: readonly FileChange[]): void {
    for (const { name, json } of changes) {
      const file = this.fileOf(name);
      const target = json ? formatCollectionFile(json) : undefined;
      const now = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
      try {
        if (now !== target && now === this.known.get(file)) this.write([{ name, json }]);
        else if (now === target) {
          if (target === undefined) this.known.delete(file);
          else this.known.set(file, target);
        }
      } catch (err) {
        console.error(`[satchel] collections: ${file} could not follow another process's change:`, err);
      }
    }
  }

  /**
   * Writes every change or none: a failure (a read-only directory, a full disk) puts back what was written before
   * it and throws a 409 saying why.
   */
  write(changes: readonly FileChange[]): void {
    const undo: (() => void)[] = [];
    try {
      mkdirSync(this.dir, { recursive: true });
      for (const { name, json } of changes) {
        const file = this.fileOf(name);
        const before = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
        if (json) {
          const temp = `${file}.${randomString(8)}.tmp`;
          try {
            writeFileSync(temp, formatCollectionFile(json));
            renameSync(temp, file);
          } catch (err) {
            rmSync(temp, { force: true });
            throw err;
          }
        } else {
          rmSync(file, { force: true });
        }
        undo.push(() => (before === undefined ? rmSync(file, { force: true }) : writeFileSync(file, before)));
      }
    } catch (err) {
      for (const step of undo.reverse()) {
        try {
          step();
        } catch {
          // best effort: the error below says what failed
        }
      }
      throw new ApiError(
        409,
        `The collections directory ${this.dir} could not be written (${(err as Error).message}); nothing was changed.`,
      );
    }
    for (const { name, json } of changes) {
      const file = this.fileOf(name);
      if (json) this.known.set(file, formatCollectionFile(json));
      else this.known.delete(file);
    }
  }
}
