// Opens a data directory and a collections directory as one engine: database, served collections, services.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Database } from './db/database.js';
import { ensureSystemTables } from './db/system-tables.js';
import { loadCollectionFiles } from './collections/load.js';
import { CollectionRegistry } from './collections/registry.js';
import { syncCollections, type SyncReport } from './collections/sync.js';
import { checkRules } from './records/check-rules.js';
import { RecordService } from './records/service.js';

export interface EngineOptions {
  /** The data directory (pb_data): data.db lives here. */
  dataDir: string;
  /** The directory of collection definition files. */
  collectionsDir: string;
}

export interface Engine {
  db: Database;
  collections: CollectionRegistry;
  records: RecordService;
  /** What the boot-time sync did. */
  sync: SyncReport;
  close(): void;
}

/** Opens the engine: the database is brought to match the definitions before anything is served. */
export function openEngine(options: EngineOptions): Engine {
  const definitions = loadCollectionFiles(options.collectionsDir);
  const collections = new CollectionRegistry();
  collections.replace(definitions);
  // Rules are checked before the database is touched: a broken rule changes nothing.
  checkRules(collections, definitions);
  mkdirSync(options.dataDir, { recursive: true });
  const db = new Database(join(options.dataDir, 'data.db'));
  try {
    ensureSystemTables(db);
    const sync = syncCollections(db, definitions);
    return { db, collections, records: new RecordService(db, collections), sync, close: () => db.close() };
  } catch (err) {
    db.close();
    throw err;
  }
}
