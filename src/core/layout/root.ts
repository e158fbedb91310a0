import { posix } from 'node:path';

/**
 * Root paths (Milvus's `rootPath`, the backup root) are normalized here and only here: cleaned as Go's
 * `path.Clean` (the Go tool's `internal/storage/mpath` joins with `path.Join`), and — unlike the Go tool, whose
 * keys keep a leading `/` (v0.5.16 on real Milvus copied to `/slashroot/<name>/binlogs/…`) — object keys never
 * start with `/`: a root written `/slashroot` (the config loader warns) is `slashroot` for create, list and
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
