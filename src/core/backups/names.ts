// Backup names: what a superuser may choose, what a key may be, and the generated ones (PocketBase's forms).

/** A name a superuser gives a new backup (PocketBase's rule). */
export const BACKUP_NAME = /^[a-z0-9_-]+\.zip$/;
/** Longest name a superuser may give (PocketBase's limit). */
export const MAX_NAME_LENGTH = 150;

/** The prefix of the scheduled backups: the cron job only ever prunes names that start with it. */
export const AUTO_BACKUP_PREFIX = '@auto_pb_backup_';

/**
 * A key as the API takes it (download, delete, restore): one plain file name, also the generated `@auto_...`
 * ones and uploaded archives with capitals or dots; never a path, never a hidden file.
 */
export function isBackupKey(key: string): boolean {
  return key.length <= 255 && /^[\w@-][\w@.-]*\.zip$/.test(key) && !key.includes('..');
}

/** `YYYYMMDDhhmmss` in UTC. */
function stamp(now: Date): string {
  return now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** The app name as it goes into a file name: snake_case letters and digits, at most 50 characters. */
function snakeName(appName: string): string {
  return appName
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 50);
}

/** `<prefix><app_name>_<YYYYMMDDhhmmss>.zip`, e.g. `pb_backup_satchel_20250103122301.zip`. */
export function generatedName(prefix: string, appName: string, now = new Date()): string {
  const app = snakeName(appName);
  return `${prefix}${app ? `${app}_` : ''}${stamp(now)}.zip`;
}
