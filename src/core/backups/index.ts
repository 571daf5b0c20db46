// Backups: archives of the database and the uploaded files, where they are kept, and restoring one.
export { BackupService, AUTO_BACKUP_JOB, type BackupServiceOptions } from './service.js';
export type { BackupInfo, BackupLocation } from './location.js';
export { LocalBackupLocation } from './local-location.js';
export { S3BackupLocation } from './s3-location.js';
export { AUTO_BACKUP_PREFIX, generatedName, isBackupKey } from './names.js';
export { applyStagedRestore, confirmRestore, restorePending, revertRestore, stageRestore } from './restore.js';
export { ArchiveError } from './zip.js';
export { findArchive, stageOfflineRestore } from './offline.js';
