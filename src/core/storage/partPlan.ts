/**
 * Part layouts for multipart uploads. S3 allows at most 10000 parts of 5 MiB–5 GiB (the last may be smaller).
 */
export const MiB = 1024 * 1024;
const MAX_PARTS = 10000;
const MIN_PART = 5 * MiB;
const MAX_PART = 5 * 1024 * MiB;
const MAX_OBJECT = 5 * 1024 * 1024 * MiB;

interface PartRange {
  partNumber: number;
  start: number;
  /** inclusive, as in an HTTP range */
  end: number;
}

/**
 * The Go tool's server-side multipart copy layout (Go `internal/storage/minio.go`): part size max(10 MiB, ceil(size/10000)),
 * so never more than 10000 parts.
 */
export function copyPartSize(size: number): number {
  return Math.max(10 * MiB, Math.ceil(size / MAX_PARTS));
}

/** Consecutive ranges of `partSize` covering `size` bytes, numbered from 1. */
export function planParts(size: number, partSize: number): PartRange[] {
  if (size > MAX_OBJECT) throw new RangeError(`object of ${size} bytes is over the S3 limit of 5 TiB`);
  const parts: PartRange[] = [];
  for (let start = 0, n = 1; start < size; start += partSize, n++) {
    parts.push({ partNumber: n, start, end: Math.min(size, start + partSize) - 1 });
  }
  if (parts.length > MAX_PARTS) throw new RangeError(`${parts.length} parts of ${partSize} bytes exceed the S3 limit of ${MAX_PARTS}`);
  return parts;
}

/**
 * Default part size of uploads, and so the memory of one streaming copy. Not minio-go's 16 MiB: measured on
 * Ceph RGW, a 200 MiB copyBetween with 16 MiB parts grew RSS by 48–64 MiB (V8 then frees the HTTP chunks
 * already copied only when external memory nears its 64 MiB GC trigger), with 8 MiB parts by 37–43 MiB, at
 * the same speed (test/unit/storage/cephStore.test.ts holds the bound).
 */
export const DEFAULT_PUT_PART_SIZE = 8 * MiB;

/**
 * Part size for uploading a stream of known length: `preferred` unless the object needs larger parts to stay
 * within 10000, rounded up to whole MiB. Memory per upload is one part buffer.
 */
export function putPartSize(size: number, preferred = DEFAULT_PUT_PART_SIZE): number {
  const needed = Math.ceil(size / MAX_PARTS / MiB) * MiB;
  return Math.min(MAX_PART, Math.max(MIN_PART, preferred, needed));
}
