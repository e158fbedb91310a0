import { walkExpected } from '../catalog/verifyWalk';
import type { Location } from '../layout';

/**
 * Verification after copying (Go v0.5.15+ `verifySegmentsData`): the walk of catalog/verifyWalk.ts over the
 * collection-level prefixes of the backup; any missing key or wrong size fails the backup.
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
  const w = await walkExpected(dst, prefixes, expected, signal);
  if (w.missing.length || w.wrongSize.length) {
    const parts: string[] = [];
    if (w.missing.length) parts.push(`${w.missing.length} missing (first: ${w.missing.slice(0, 3).join(', ')})`);
    if (w.wrongSize.length) {
      const first = w.wrongSize.slice(0, 3).map((x) => `${x.key} (${x.size} bytes, expected ${x.expected})`);
      parts.push(`${w.wrongSize.length} with the wrong size (first: ${first.join(', ')})`);
    }
    throw new VerifyError(`verification of the copied binlogs in bucket "${dst.bucket}" failed: ${parts.join('; ')}`);
  }
  return { objects: expected.size, bytes: w.bytes, etags: w.etags };
}
