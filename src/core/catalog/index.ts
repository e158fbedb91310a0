/** The backup catalog: list, get and delete the backups under a backup root (spec §2.1–§2.2, §5.2). */
export * from './catalog';
export { readBackupDir, writeBackupMeta, listMetaFiles, type BackupDirState, type MetaSource } from './backupMeta';
export { validateBackupName, defaultBackupName } from './names';
export { backupRootPrefix, backupDirPrefix, metaKey, metaDirPrefix, describeLocation, type Location } from '../layout';
export { readObject, readObjectIfExists, isNotFound } from './readObject';
