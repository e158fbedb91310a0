/**
 * Keys of a backup's binlog directories (spec §2.1; Go `mpath.Backup{Insert,Delta}LogDir`) and of the staging
 * area a restore copies them to when Milvus cannot read the backup bucket (spec §4.4).
 * Every directory key ends with `/`; Milvus lists import prefixes recursively.
 */
import { posix } from 'node:path';
import { backupDirPrefix } from '../catalog/paths';

/** `<root>/<name>/` (root '' → `<name>/`): the catalog's rule, so restore reads where create wrote and list looks. */
export const backupDirKey = backupDirPrefix;

const dir = (...parts: Array<string | bigint>) => posix.join(...parts.map(String)) + '/';

export function insertLogDir(backupDir: string, collectionId: bigint, partitionId: bigint, groupId?: bigint): string {
  return groupId === undefined
    ? dir(backupDir, 'binlogs', 'insert_log', collectionId, partitionId)
    : dir(backupDir, 'binlogs', 'insert_log', collectionId, partitionId, groupId);
}

/** Delta dir of a group (partition segments), of a partition (old backups) or of an L0 segment (id as last part). */
export function deltaLogDir(backupDir: string, collectionId: bigint, partitionId: bigint, groupOrSegmentId?: bigint): string {
  return groupOrSegmentId === undefined
    ? dir(backupDir, 'binlogs', 'delta_log', collectionId, partitionId)
    : dir(backupDir, 'binlogs', 'delta_log', collectionId, partitionId, groupOrSegmentId);
}

/** `restore-temp-<taskId>-<db>-<coll>/`, at the Milvus bucket's root (not under Milvus's rootPath), as Go. */
export function stagingPrefix(taskId: string, db: string, collection: string): string {
  return `restore-temp-${taskId}-${db}-${collection}/`;
}

/** Where a backup dir lands inside the staging prefix: the backup dir part is replaced by the prefix. */
export function stagedKey(staging: string, backupDir: string, srcDir: string): string {
  const rel = srcDir.startsWith(backupDir) ? srcDir.slice(backupDir.length) : srcDir;
  return staging + rel;
}
