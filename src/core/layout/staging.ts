/**
 * The staging area a restore copies a backup's binlog directories to when Milvus cannot read the backup bucket
 * (Go `core/restore` `collTask.copyToMilvusBucket`): `restore-temp-<taskId>-<db>-<coll>/` at the Milvus
 * bucket's root (not under Milvus's rootPath), as Go.
 */

/** What every staging prefix starts with (restore/staleStaging.ts finds leftovers by it). */
export const STAGING_PREFIX_START = 'restore-temp-';

/** `restore-temp-<taskId>-<db>-<coll>/`. */
export function stagingPrefix(taskId: string, db: string, collection: string): string {
  return `${STAGING_PREFIX_START}${taskId}-${db}-${collection}/`;
}

/** Where a backup dir lands inside the staging prefix: the backup dir part is replaced by the prefix. */
export function stagedKey(staging: string, backupDir: string, srcDir: string): string {
  const rel = srcDir.startsWith(backupDir) ? srcDir.slice(backupDir.length) : srcDir;
  return staging + rel;
}
