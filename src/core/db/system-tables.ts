// The tables Satchel keeps for itself: collection definitions and settings.
import type { Database } from './database.js';

/** Creates the system tables when the file is new. */
export function ensureSystemTables(db: Database): void {
  db.raw.exec(`
    CREATE TABLE IF NOT EXISTS "_collections" (
      "id"         TEXT PRIMARY KEY NOT NULL,
      "name"       TEXT UNIQUE NOT NULL COLLATE NOCASE,
      "definition" JSON NOT NULL,
      "created"    TEXT DEFAULT '' NOT NULL,
      "updated"    TEXT DEFAULT '' NOT NULL
    );
    CREATE TABLE IF NOT EXISTS "_params" (
      "id"      TEXT PRIMARY KEY NOT NULL,
      "value"   JSON DEFAULT NULL,
      "created" TEXT DEFAULT '' NOT NULL,
      "updated" TEXT DEFAULT '' NOT NULL
    );
  `);
}
