// Backups of a running app: list, create, upload, download, delete, restore, and the scheduled backups. One
// backup or restore at a time; a restore is checked and staged here, then applied when the app next opens.
import { createWriteStream } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Crons } from '../cron/crons.js';
import type { DatabaseFiles } from '../db/index.js';
import { ApiError } from '../errors.js';
import { randomString } from '../ids.js';
import { buildArchive, unpackArchive } from './archive.js';
import type { BackupInfo, BackupLocation } from './location.js';
import { AUTO_BACKUP_PREFIX, BACKUP_NAME, generatedName, isBackupKey, MAX_NAME_LENGTH } from './names.js';
import { stageRestore } from './restore.js';
import { ArchiveError } from './zip.js';

/** PocketBase's id of the scheduled backup job. */
export const AUTO_BACKUP_JOB = '__pbAutoBackup__';
/** Where archives are built and downloaded archives checked: inside the data directory, so renames stay cheap. */
const WORK_DIR = '.backups-work';
const BUSY = 'Try again later - another backup/restore operation has already been started.';

export interface BackupServiceOptions {
  dataDir: string;
  /** The database's files; without them (a database that is not a file) there are no backups. */
  files: DatabaseFiles | undefined;
  location: BackupLocation;
  /** The app name that generated names carry (the settings' meta.appName). */
  appName: () => string;
  /** Called once a restore is staged, to apply it now (the CLI restarts the app); without it, at the next start. */
  onRestartRequest?: () => void;
}

export class BackupService {
  /** The name of the backup or restore under way, if any. */
  private active: string | undefined;

  private location: BackupLocation;

  constructor(private readonly options: BackupServiceOptions) {
    this.location = options.location;
  }

  /**
   * Where archives go from now on (e.g. an S3BackupLocation when the settings turn backups.s3 on); without an
   * argument, back to the location the service was made with.
   */
  setLocation(location?: BackupLocation): void {
    this.location = location ?? this.options.location;
  }

  /** Whether a backup can start now (GET /api/health's canBackup). */
  get canBackup(): boolean {
    return this.options.files !== undefined && this.active === undefined;
  }

  /** Every archive, newest first. */
  async list(): Promise<BackupInfo[]> {
    const all = await this.location.list();
    return all.sort((a, b) => b.modified.getTime() - a.modified.getTime() || b.key.localeCompare(a.key));
  }

  /** Makes a backup named `name` (checked as PocketBase checks it), or a generated `pb_backup_...` name. */
  async create(name?: string): Promise<string> {
    if (this.active !== undefined) throw ApiError.badRequest(BUSY);
    if (name) await this.checkNewName('name', name);
    const key = name || generatedName('pb_backup_', this.options.appName());
    await this.exclusively(key, () => this.build(key));
    return key;
  }

  /**
   * Adds an uploaded archive (a temporary file's path, or its bytes) under its own name, once it has been checked
   * to be a Satchel backup; anything else is a 400 naming `file`.
   */
  async upload(name: string, source: string | Buffer): Promise<void> {
    await this.checkNewName('file', name, /^[\w-][\w.-]*\.zip$/i);
    const files = this.files();
    await this.inWorkDir(async (work) => {
      const path = typeof source === 'string' ? source : join(work, 'upload.zip');
      if (Buffer.isBuffer(source)) await writeFile(path, source);
      try {
        await unpackArchive(path, join(work, 'check'), files);
      } catch (err) {
        throw this.refusal('file', err);
      }
      await this.location.put(name, path);
    });
  }

  /** The archive's details and bytes; 404 when there is none under `key`. */
  async read(key: string): Promise<{ info: BackupInfo; stream: Readable }> {
    const info = isBackupKey(key) ? await this.location.stat(key) : undefined;
    const stream = info && (await this.location.read(key));
    if (!info || !stream) throw ApiError.notFound('The requested backup wasn\u2019t found.');
    return { info, stream };
  }

  async delete(key: string): Promise<void> {
    if (!isBackupKey(key) || !(await this.location.stat(key))) {
      throw ApiError.badRequest('Invalid or already deleted backup file.');
    }
    if (this.active === key) throw ApiError.badRequest('The backup is currently being used and cannot be deleted.');
    await this.location.delete(key);
  }

  /**
   * Checks the archive and stages it (a bad one is refused with a 400 and nothing changes), then asks for the
   * restart that applies it. Resolves once staged.
   */
  async restore(key: string): Promise<void> {
    if (!isBackupKey(key) || !(await this.location.stat(key))) {
      throw ApiError.badRequest('Missing or invalid backup file.');
    }
    const files = this.files();
    await this.exclusively(key, () =>
      this.inWorkDir(async (work) => {
        const zip = join(work, 'restore.zip');
        await this.download(key, zip);
        try {
          await stageRestore(zip, this.options.dataDir, files);
        } catch (err) {
          throw this.refusal('key', err);
        }
      }),
    );
    const restart = this.options.onRestartRequest;
    // After this request's response: the restart closes the server gracefully, waiting for it.
    if (restart) setImmediate(restart);
    else console.log(`[satchel] backup "${key}" is checked and staged: it will be restored at the next start.`);
  }

  /**
   * Schedules backups named `@auto_pb_backup_<app>_<time>.zip` (job `__pbAutoBackup__`), keeping the newest
   * `maxKeep` of them (0: all); an empty expression removes the job.
   */
  schedule(crons: Crons, expression: string, maxKeep: number): void {
    if (!expression) return crons.remove(AUTO_BACKUP_JOB);
    crons.add(AUTO_BACKUP_JOB, expression, async () => {
      const key = generatedName(AUTO_BACKUP_PREFIX, this.options.appName());
      await this.exclusively(key, () => this.build(key)).catch((err: unknown) => {
        console.error(`[satchel] the scheduled backup ${key} failed:`, err);
      });
      if (maxKeep > 0) await this.prune(maxKeep);
    });
  }

  /** Deletes the scheduled backups past the newest `maxKeep`. */
  private async prune(maxKeep: number): Promise<void> {
    const auto = (await this.list()).filter((b) => b.key.startsWith(AUTO_BACKUP_PREFIX));
    for (const old of auto.slice(maxKeep)) await this.location.delete(old.key);
  }

  private async build(key: string): Promise<void> {
    const files = this.files();
    await this.inWorkDir(async (work) => {
      const target = join(work, key);
      await buildArchive(this.options.dataDir, files, work, target);
      await this.location.put(key, target);
    });
  }

  private async download(key: string, path: string): Promise<void> {
    const { stream } = await this.read(key);
    await pipeline(stream, createWriteStream(path));
  }

  /** A name for a new archive: PocketBase's rule (or `pattern`), and not taken. */
  private async checkNewName(field: string, name: string, pattern = BACKUP_NAME): Promise<void> {
    let problem: { code: string; message: string } | undefined;
    if (name.length > MAX_NAME_LENGTH || !pattern.test(name) || !isBackupKey(name)) {
      problem = { code: 'validation_invalid_format', message: 'Invalid value format.' };
    } else if (await this.location.stat(name)) {
      problem = {
        code: 'validation_backup_name_exists',
        message: 'The backup file name is invalid or already exists.',
      };
    }
    if (problem)
      throw ApiError.badRequest('An error occurred while validating the submitted data.', { [field]: problem });
  }

  private refusal(field: string, err: unknown): unknown {
    if (!(err instanceof ArchiveError)) return err;
    return ApiError.badRequest(`The archive cannot be restored: ${err.message}.`, {
      [field]: { code: 'validation_invalid_backup', message: `Not a usable Satchel backup: ${err.message}.` },
    });
  }

  private files(): DatabaseFiles {
    if (!this.options.files)
      throw ApiError.badRequest(
        'Backups need a database kept in the data directory (SQLite); back up a PostgreSQL database with its own tools (pg_dump).',
      );
    return this.options.files;
  }

  /** Runs `fn` as the one backup/restore operation under way; a second one meanwhile is refused. */
  private async exclusively<T>(name: string, fn: () => Promise<T>): Promise<T> {
    if (this.active !== undefined) throw ApiError.badRequest(BUSY);
    this.active = name;
    try {
      return await fn();
    } finally {
      this.active = undefined;
    }
  }

  /** A fresh scratch folder for `fn`, removed afterwards whatever happens. */
  private async inWorkDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
    const dir = join(this.options.dataDir, WORK_DIR, randomString(10));
    await mkdir(dir, { recursive: true });
    try {
      return await fn(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
