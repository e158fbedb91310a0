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
