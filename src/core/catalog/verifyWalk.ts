import type { Location } from '../layout';

/**
 * The one verification walk of a backup's binlogs (Go v0.5.15+ `verifySegmentsData`): one recursive listing per
 * prefix, and every expected key must be present with exactly its size. The Go format has no content checksums;
 * the ETags the listing reports (MD5 for single-part S3 uploads) are returned so callers can record them.
 * `create` runs it after copying (and fails on a difference); `verifyBackup` runs it on a stored backup (and
 * reports the differences).
 */
export interface WalkResult {
  /** expected keys that are present (with the right size or not) */
  found: number;
  /** bytes of the expected keys present with the right size */
  bytes: number;
  missing: string[];
  wrongSize: Array<{ key: string; size: number; expected: number }>;
  /** key → ETag, for the expected objects present with the right size whose listing had one */
  etags: Map<string, string>;
}

export async function walkExpected(
  loc: Location, prefixes: readonly string[], expected: ReadonlyMap<string, number>, signal?: AbortSignal,
): Promise<WalkResult> {
  const seen = new Map<string, { size: number; etag?: string }>();
  for (const prefix of prefixes) {
    for await (const e of loc.store.list(loc.bucket, prefix, { recursive: true, signal })) {
      if (e.type === 'object' && expected.has(e.key)) seen.set(e.key, { size: e.size, etag: e.etag });
    }
  }
  const r: WalkResult = { found: 0, bytes: 0, missing: [], wrongSize: [], etags: new Map() };
  for (const [key, size] of expected) {
    const s = seen.get(key);
    if (!s) {
      r.missing.push(key);
      continue;
    }
    r.found++;
    if (s.size !== size) r.wrongSize.push({ key, size: s.size, expected: size });
    else {
      r.bytes += size;
      if (s.etag) r.etags.set(key, s.etag);
    }
  }
  return r;
}
