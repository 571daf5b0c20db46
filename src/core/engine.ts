// Opens a data directory and a collections directory as one engine: database, served collections, services.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Database } from './db/database.js';
import { ensureSystemTables } from './db/system-tables.js';
import { loadCollectionFiles } from './collections/load.js';
import { CollectionRegistry } from './collections/registry.js';
import { withSystemCollections } from './collections/system-collections.js';
import { syncCollections, type SyncReport } from './collections/sync.js';
import { checkRules } from './records/check-rules.js';
import { AuthService } from './auth/service.js';
import { PutUserService } from './auth/put-user.js';
import { createMailer, type Mailer, type MailOptions } from './mail/mailer.js';
import { RecordService } from './records/service.js';
import { Sequences } from './sequences.js';
import { Params } from './settings/params.js';
import { DEFAULT_SETTINGS, SettingsService, type Settings } from './settings/settings.js';

export interface EngineOptions {
  /** The data directory (pb_data): data.db lives here. */
  dataDir: string;
  /** The directory of collection definition files. */
  collectionsDir: string;
  /** Let the boot-time sync drop fields that still hold values (default false: refuse and say why). */
  allowDataLoss?: boolean;
  /** Settings used until pb_data holds its own (default: PUT /user on). */
  settings?: Settings;
  /** Outgoing mail; without an SMTP URL every message goes to `<dataDir>/outbox/`. */
  mail?: Omit<MailOptions, 'outboxDir'>;
  /** The public URL e-mail links point at (default `http://127.0.0.1:8090`). */
  appUrl?: () => string;
}

export interface Engine {
  db: Database;
  collections: CollectionRegistry;
  records: RecordService;
  settings: SettingsService;
  auth: AuthService;
  putUser: PutUserService;
  mailer: Mailer;
  /** Counters for integer keys, usable inside model hooks. */
  sequences: Sequences;
  /** What the boot-time sync did. */
  sync: SyncReport;
  close(): void;
}

/** Opens the engine: the database is brought to match the definitions before anything is served. */
export function openEngine(options: EngineOptions): Engine {
  const definitions = withSystemCollections(options.collectionsDir, loadCollectionFiles(options.collectionsDir));
  const collections = new CollectionRegistry();
  collections.replace(definitions);
  // Rules are checked before the database is touched: a broken rule changes nothing.
  checkRules(collections, definitions);
  mkdirSync(options.dataDir, { recursive: true });
  const db = new Database(join(options.dataDir, 'data.db'));
  try {
    ensureSystemTables(db);
    const sync = syncCollections(db, definitions, { allowDataLoss: options.allowDataLoss });
    const records = new RecordService(db, collections);
    const params = new Params(db);
    const settings = new SettingsService(params, options.settings ?? DEFAULT_SETTINGS);
    const mailer = createMailer({ ...options.mail, outboxDir: join(options.dataDir, 'outbox') });
    const appUrl = options.appUrl ?? (() => 'http://127.0.0.1:8090');
    const auth = new AuthService({ db, registry: collections, records, params, mailer, appUrl });
    const putUser = new PutUserService(settings, records, auth);
    const sequences = new Sequences(db);
    return { db, collections, records, settings, auth, putUser, mailer, sequences, sync, close: () => db.close() };
  } catch (err) {
    db.close();
    throw err;
  }
}
