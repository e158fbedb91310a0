import { posix } from 'node:path';

/**
 * Root paths (Milvus's `rootPath`, the backup root) are normalized here and only here. Like the Go tool's
 * `internal/storage/mpath`, a root is cleaned (`path.Clean`) and object keys never start with `/`: a root
 * written `/slashroot` (the config loader only warns) is the same place as `slashroot` for create, list and
 * restore alike. An empty root (or `.`, `/`) is the bucket's top level.
 */
export function cleanRoot(rootPath: string): string {
  const cleaned = posix.normalize(rootPath.replace(/^\/+/, '')).replace(/\/+$/, '');
  return cleaned === '.' ? '' : cleaned;
}

/** `<root>/` — with one trailing `/` — or '' for the bucket's top level. */
export function rootPrefix(rootPath: string): string {
  const cleaned = cleanRoot(rootPath);
  return cleaned === '' ? '' : `${cleaned}/`;
}
