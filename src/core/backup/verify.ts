import type { Location } from '../layout';

/**
 * Verification after copying (spec §3.8 step 6, Go v0.5.15+ `verifySegmentsData`): one recursive listing per
 * collection-level prefix of the backup, and every expected key must be present with exactly its size.
 * No content checksums exist in the Go format; we keep the ETags the listing reports (MD5 for single-part
 * S3 uploads) so callers can record them.
 */

class VerifyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerifyError';
  }
}

interface VerifyResult {
  objects: number;
  bytes: number;
  /** key → ETag, for the objects whose listing had one */
  etags: Map<string, string>;
}

export async function verifyCopied(
  dst: Location, prefixes: string[], expected: ReadonlyMap<string, number>, signal?: AbortSignal,
): Promise<VerifyResult> {
  const seen = new Map<string, { size: number; etag?: string }>();
  for (const prefix of prefixes) {
    for await (const e of dst.store.list(dst.bucket, prefix, { recursive: true, signal })) {
      if (e.type === 'object' && expected.has(e.key)) seen.set(e.key, { size: e.size, etag: e.etag });
    }
  }
  const missing: string[] = [];
  const wrong: string[] = [];
  let bytes = 0;
  const etags = new Map<string, string>();
  for (const [key, size] of expected) {
    const s = seen.get(key);
    if (!s) missing.push(key);
    else if (s.size !== size) wrong.push(`${key} (${s.size} bytes, expected ${size})`);
    else {
      bytes += size;
      if (s.etag) etags.set(key, s.etag);
    }
  }
  if (missing.length || wrong.length) {
    const parts: string[] = [];
    if (missing.length) parts.push(`${missing.length} missing (first: ${missing.slice(0, 3).join(', ')})`);
    if (wrong.length) parts.push(`${wrong.length} with the wrong size (first: ${wrong.slice(0, 3).join(', ')})`);
    throw new VerifyError(`verification of the copied binlogs in bucket "${dst.bucket}" failed: ${parts.join('; ')}`);
  }
  return { objects: expected.size, bytes, etags };
}
