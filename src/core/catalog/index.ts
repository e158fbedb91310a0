/** The backup catalog: list, get and delete the backups under a backup root (Go `internal/meta/meta.go`, `cmd/list`, `cmd/get`, `core/del`). */
export * from './catalog';
export { readBackupDir, writeBackupMeta, listMetaFiles, type BackupDirState, type MetaSource } from './backupMeta';
export { validateBackupName, defaultBackupName } from './names';
export { backupRootPrefix, backupDirPrefix, metaKey, metaDirPrefix, describeLocation, type Location } from '../layout';
export { readObject, readObjectIfExists, isNotFound } from './readObject';
