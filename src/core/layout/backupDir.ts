import type { MetaFileName } from '../meta/files';
import { rootPrefix } from './root';

/**
 * The backup folder and its meta files (Go `internal/storage/mpath` `BackupDir`, `MetaDir`, `MetaKey`):
 * `<root>/<name>/meta/<file>`.
 */

const META_DIR = 'meta';

/** What a backup folder holds at its top: meta files, copied binlogs, a snapshot bundle (Go main, Milvus 3.0). */
export const BACKUP_TOP_LEVEL: ReadonlySet<string> = new Set([META_DIR, 'binlogs', 'bundle']);

/** `<root>/` of the backups, or '' (see root.ts). */
export const backupRootPrefix = rootPrefix;

/** `<root>/<name>/` — always with the trailing slash, so a sibling `<name>_2/` never matches it. */
export function backupDirPrefix(rootPath: string, name: string): string {
  return `${rootPrefix(rootPath)}${name}/`;
}

export function metaKey(backupDir: string, file: MetaFileName): string {
  return `${backupDir}${META_DIR}/${file}`;
}

export function metaDirPrefix(backupDir: string): string {
  return `${backupDir}${META_DIR}/`;
}
