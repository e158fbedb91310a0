/**
 * Object keys of binlogs, exactly as Milvus lays them out (internal/storage: BuildInsertLogPath /
 * BuildDeltaLogPath; spec §2.1): `<root>/insert_log/<coll>/<part>/<seg>/<field>/<logID>` and
 * `<root>/delta_log/<coll>/<part>/<seg>/<logID>` (part may be -1 for collection-wide L0 segments).
 */

function join(...parts: string[]): string {
  return parts
    .filter((p) => p !== '')
    .map((p, i) => (i === 0 ? p.replace(/\/+$/, '') : p.replace(/^\/+|\/+$/g, '')))
    .join('/');
}

export function insertLogKey(root: string, coll: string, part: string, seg: string, field: number | string, logId: string): string {
  return join(root, 'insert_log', coll, part, seg, String(field), logId);
}

export function deltaLogKey(root: string, coll: string, part: string, seg: string, logId: string): string {
  return join(root, 'delta_log', coll, part, seg, logId);
}

/** `<prefix>/` with exactly one trailing slash (Milvus lists prefixes as given; we normalise for directory semantics). */
export function dirPrefix(p: string): string {
  return p === '' ? '' : p.replace(/\/+$/, '') + '/';
}

export function parentDir(key: string): string {
  const i = key.replace(/\/+$/, '').lastIndexOf('/');
  return i < 0 ? '' : key.slice(0, i);
}

export function baseName(key: string): string {
  const k = key.replace(/\/+$/, '');
  return k.slice(k.lastIndexOf('/') + 1);
}

export { join as joinKey };
