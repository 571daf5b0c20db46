// Opens a data directory and a collections directory as one engine: store, served collections, services.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  LazyStore,
  localCoordination,
  openStore,
  sqliteEngine,
  type Coordination,
  type Store,
  type StoreEngine,
} from './db/index.js';
import { shareSchema, shareSettings } from './cluster-links.js';
import { collectionsFromFiles, readCollectionFiles } from './collections/load.js';
import { CollectionManager } from './collections/manager.js';
import { CollectionRegistry } from './collections/registry.js';
import { withSystemCollections } from './collections/system-collections.js';
import { syncCollections, type SyncReport } from './collections/sync.js';
import { AuthService } from './auth/service.js';
import { createMailer, type Mailer, type MailOptions } from './mail/mailer.js';
import { checkRules, RecordService } from './records/index.js';
import { Catalog } from './records/catalog.js';
import {
  busTransport,
  RealtimeService,
  RecordFeed,
  shareSubscriptions,
  type RealtimeTransport,
} from './realtime/index.js';
import { Sequences } from './sequences.js';
import { Crons } from './cron/crons.js';
import { Logger } from './logs/logger.js';
import { Logs } from './logs/logs.js';
import {
  applyStagedRestore,
  BackupService,
  confirmRestore,
  LocalBackupLocation,
  revertRestore,
  S3BackupLocation,
} from './backups/index.js';
import type { BackupLocation } from './backups/index.js';
import { FileCleanup } from './files/cleanup.js';
import { LocalStorage } from './files/local-storage.js';
import { s3OptionsFrom, SettingsStorage } from './files/settings-storage.js';
import type { FileStorage } from './files/storage.js';
import { ApiReference } from './openapi/service.js';
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
  /** Settings a flag or an environment variable decides, by path, with what decides (shown to superusers). */
  settingsOverriddenBy?: Record<string, string>;
  /** Outgoing mail; without an SMTP URL every message goes to `<dataDir>/outbox/`. */
  mail?: Omit<MailOptions, 'outboxDir'>;
  /** The public URL e-mail links point at (default `http://127.0.0.1:8090`). */
  appUrl?: () => string;
  /** How long a write waits for another process's lock before it fails (default 5 s). */
  busyTimeoutMs?: number;
  /** The database engine (default: SQLite in `<dataDir>/data.db`). */
  storeEngine?: StoreEngine;
  /** Where uploaded files are kept (default: `<dataDir>/storage/`). */
  fileStorage?: FileStorage;
  /**
   * How the Satchel processes on the same database reach each other: record changes, settings and schema changes,
   * the schema sync's lock, crons once per cluster (default: the store engine's; SQLite's is one process alone).
   * Closed by the engine when the engine opened it, not when it is given here.
   */
  coordination?: Coordination;
  /** How record changes reach other Satchel processes on the same database (default: the coordination's bus). */
  realtimeTransport?: RealtimeTransport;
  /** Where backup archives are kept (default: `<dataDir>/backups/`). */
  backupLocation?: BackupLocation;
  /** Applies a restore once it is staged, by reopening the engine (the CLI's serve); without it, at the next open. */
  onRestartRequest?: () => void;
}

export interface Engine {
  /** The storage boundary: statements and transactions, whatever the database. */
  store: Store;
  collections: CollectionRegistry;
  /** Collections changed while the server runs (the collections API), written back to their files. */
  schema: CollectionManager;
  records: RecordService;
  settings: SettingsService;
  auth: AuthService;
  mailer: Mailer;
  /** The public URL e-mail links point at. */
  appUrl: () => string;
  /** The API reference (OpenAPI 3.1) of the collections and described routes as they are now. */
  openapi: ApiReference;
  /** Scheduled jobs (`cron.add(id, expression, fn)`). */
  cron: Crons;
  /** Request and app logs, in the auxiliary store (`pb_data/auxiliary.db`). */
  logs: Logs;
  /** Writes app log lines (`logger.info(message, data)`), listed with the request logs. */
  logger: Logger;
  /** Realtime clients, their subscriptions, custom messages. */
  realtime: RealtimeService;
  /** Counters for integer keys, usable inside model hooks. */
  sequences: Sequences;
  /** Backup archives: create, list, upload, download, delete, restore, schedule. */
  backups: BackupService;
  /** What the boot-time sync did. */
  sync: SyncReport;
  close(): Promise<void>;
}

/** Opens the engine: the database is brought to match the definitions before anything is served. */
export async function openEngine(options: EngineOptions): Promise<Engine> {
  const files = readCollectionFiles(options.collectionsDir);
  const definitions = withSystemCollections(options.collectionsDir, files, collectionsFromFiles);
  const collections = new CollectionRegistry();
  collections.replace(definitions);
  const storeEngine = options.storeEngine ?? sqliteEngine;
  // Rules are checked before the database is touched: a broken rule changes nothing.
  const catalog = new Catalog(collections, storeEngine.dialect);
  // Rules are checked before the database is touched (a broken rule changes nothing); a view's rules once its
  // fields are known, inside the sync's transaction.
  checkRules(
    catalog,
    definitions.filter((c) => c.type !== 'view'),
  );
  mkdirSync(options.dataDir, { recursive: true });
  const dbFiles = storeEngine.files;
  // A restore staged by a backup restore (or `satchel restore`) replaces the data before anything opens it.
  const restoring = dbFiles ? applyStagedRestore(options.dataDir, dbFiles) : false;
  const undoRestore = () => {
    if (!restoring) return;
    revertRestore(options.dataDir, dbFiles!);
    console.error('[satchel] the restored data did not open: the data it replaced is back in place');
  };
  let store: Store;
  try {
    store = await openStore({ dataDir: options.dataDir }, { busyTimeoutMs: options.busyTimeoutMs }, storeEngine);
  } catch (err) {
    undoRestore();
    throw err;
  }
  let auxiliary: Store | undefined;
  let ownCoordination: Coordination | undefined;
  try {
    // Opened by the first log line or logs query, after the server answers its first request.
    auxiliary = new LazyStore(storeEngine.dialect, () =>
      openStore({ dataDir: options.dataDir }, {}, storeEngine, 'auxiliary'),
    );
    const coordination =
      options.coordination ??
      (ownCoordination = (await storeEngine.coordinate?.({ dataDir: options.dataDir })) ?? localCoordination());
    const schemaLock = <T>(fn: () => Promise<T>) => coordination.withLock('schema', fn);
    const schema = new CollectionManager(store, collections, options.collectionsDir, files, schemaLock);
    // Two processes starting at once: the second syncs after the first, and finds the database already matching;
    // the schema every process serves is stored under the same lock.
    let startChanged = false;
    const sync = await schemaLock(async () => {
      const report = await syncCollections(store, definitions, {
        allowDataLoss: options.allowDataLoss,
        check: (all) =>
          checkRules(
            catalog,
            all.filter((c) => c.type === 'view'),
          ),
      });
      startChanged = await schema.started(report);
      return report;
    });
    // Heard only now: the processes already running are told of what this start made.
    shareSchema(schema, coordination, startChanged);
    const params = new Params(store);
    const settings = await SettingsService.load(
      params,
      options.settings ?? DEFAULT_SETTINGS,
      options.settingsOverriddenBy,
    );
    shareSettings(settings, coordination);
    // A storage given by flag or code wins; otherwise the settings' `s3` chooses, at runtime.
    const storage =
      options.fileStorage ??
      new SettingsStorage(() => settings.get().s3, new LocalStorage(join(options.dataDir, 'storage')));
    const records = new RecordService(store, collections, storage);
    new FileCleanup(records);
    // The From address: the flag wins; else the settings' sender (a superuser may change it at any time).
    const fromSettings = () => {
      const { senderName, senderAddress } = settings.get().meta;
      return senderAddress ? `${senderName.replace(/["\\]/g, '')} <${senderAddress}>`.trim() : undefined;
    };
    const mailer = createMailer({
      ...options.mail,
      from: options.mail?.from || fromSettings,
      smtp: () => settings.get().smtp,
      outboxDir: join(options.dataDir, 'outbox'),
    });
    const appUrl = options.appUrl ?? (() => 'http://127.0.0.1:8090');
    const auth = new AuthService({
      store,
      records,
      params,
      mailer,
      appUrl,
      appName: () => settings.get().meta.appName,
    });
    const sequences = new Sequences(store);
    const realtime = new RealtimeService(records);
    new RecordFeed(realtime, records, options.realtimeTransport ?? busTransport(coordination.bus));
    // Other processes may hold the stream a subscription request names (one process alone has none to ask).
    if (options.coordination || storeEngine.coordinate) {
      shareSubscriptions(realtime, coordination.bus);
      // A collection another process made a moment ago is served here before its notice arrives.
      records.refreshSchemaWith(() => schema.adoptStored());
    }
    const cron = new Crons((key) => coordination.once(key));
    const logs = new Logs(auxiliary, () => settings.get().logs);
    // Old log entries go every hour, past `logs.maxDays` (PocketBase's job name, so it lists the same).
    cron.add('__pbLogsCleanup__', '0 * * * *', () => logs.deleteExpired());
    const close = async () => {
      cron.stop();
      realtime.closeAll();
      await ownCoordination?.close();
      await logs.close();
      await store.close();
    };
    const backups = new BackupService({
      dataDir: options.dataDir,
      files: dbFiles,
      location: options.backupLocation ?? new LocalBackupLocation(join(options.dataDir, 'backups')),
      appName: () => settings.get().meta.appName,
      onRestartRequest: options.onRestartRequest,
    });
    // The settings' `backups`: the schedule (cron, cronMaxKeep) and where archives go (their own S3 bucket or the
    // data directory), applied now and after each change; a location given in code wins.
    const applyBackupSettings = ({ backups: b }: Settings) => {
      backups.schedule(cron, b.cron, b.cronMaxKeep);
      if (!options.backupLocation)
        backups.setLocation(b.s3.enabled ? new S3BackupLocation(s3OptionsFrom(b.s3)) : undefined);
    };
    applyBackupSettings(settings.get());
    settings.onChange(applyBackupSettings);
    if (restoring) {
      confirmRestore(options.dataDir);
      console.log('[satchel] restored the data from a backup');
    }
    const services = { store, collections, schema, records, settings, auth, mailer, appUrl, realtime, cron, sequences };
    const openapi = new ApiReference(collections, settings, appUrl);
    return { ...services, openapi, logs, logger: new Logger(logs), backups, sync, close };
  } catch (err) {
    await ownCoordination?.close();
    await auxiliary?.close();
    await store.close();
    undoRestore();
    throw err;
  }
}
