import type { MetaFileName } from '../meta/files';
import { rootPrefix } from './root';

/**
 * The backup folder and its meta files (Go `internal/storage/mpath` `BackupDir`, `MetaDir`, `MetaKey`):
 * `<root>/<name>/meta/<file>`.
 */

const META_DIR = 'meta';

/**
 * `<dir>extra/`: files of this tool inside a backup folder that the Go tool never reads (it reads only
 * `meta/<file>` and the binlog paths the meta names, Go `internal/meta`, `core/restore`), and removes with the
 * folder on `delete` (test/real/checksumsIgnored.test.ts). Holds the name claim and the checksums.
 */
export const EXTRA_DIR = 'extra';

/**
 * What a backup folder holds at its top: meta files, copied binlogs, a snapshot bundle (Go main, Milvus 3.0),
 * and this tool's `extra/` (a failed run's leftovers often hold only the name claim).
 */
export const BACKUP_TOP_LEVEL: ReadonlySet<string> = new Set([META_DIR, 'binlogs', 'bundle', EXTRA_DIR]);

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

/** The name claim a `create` writes first, conditionally (backup/nameClaim.ts). */
export function claimKey(backupDir: string): string {
  return `${backupDir}${EXTRA_DIR}/claim.json`;
}

/** Per-run claims when the store ignores conditional puts (backup/nameClaim.ts). */
export function claimsDirPrefix(backupDir: string): string {
  return `${backupDir}${EXTRA_DIR}/claims/`;
}

/** Content checksums recorded at backup time (verify/checksums.ts). */
export function checksumsKey(backupDir: string): string {
  return `${backupDir}${EXTRA_DIR}/checksums.json`;
}
