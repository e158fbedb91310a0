import { posix } from 'node:path';
import { META_DIR, type MetaFileName } from '../meta/files';

/**
 * Object keys of the backup tree (spec §2.1): `<rootPath>/<name>/meta/<file>`. Like Go's `mpath`, the root is
 * cleaned (`path.Clean`) and gets one trailing `/`; an empty root means the bucket's top level. Keys never start
 * with `/`.
 */
export function backupRootPrefix(rootPath: string): string {
  const cleaned = posix.normalize(rootPath.replace(/^\/+/, '')).replace(/\/+$/, '');
  return cleaned === '' || cleaned === '.' ? '' : `${cleaned}/`;
}

/** `<root>/<name>/` — always with the trailing slash, so a sibling `<name>_2/` never matches it. */
export function backupDirPrefix(rootPath: string, name: string): string {
  return `${backupRootPrefix(rootPath)}${name}/`;
}

export function metaKey(backupDir: string, file: MetaFileName): string {
  return `${backupDir}${META_DIR}/${file}`;
}

export function metaDirPrefix(backupDir: string): string {
  return `${backupDir}${META_DIR}/`;
}

/**
 * `<dir>extra/`: files of this tool inside a backup folder that the Go tool never reads (it reads only
 * `meta/<file>` and the binlog paths the meta names, Go `internal/meta`, `core/restore`), and removes with the
 * folder on `delete`. Holds the name claim and the checksums.
 */
export const EXTRA_DIR = 'extra';

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
