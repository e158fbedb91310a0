import { isAbortError, UserError } from '../errors';
import type { Limiter } from '../jobs/limit';
import { retry } from '../jobs/retry';
import { copyBetween } from '../storage/copyBetween';
import type { Location, SegmentObject } from '../layout';
import type { ObjectStore } from '../storage/objectStore';

/**
 * Copies binlogs from the Milvus bucket to the backup bucket (Go `internal/storage/copier.go`):
 * server-side (the destination store issues CopyObject from `srcBucket/srcKey`; the store switches to
 * multipart UploadPartCopy over the configured threshold) when both ends are the same service, streaming
 * (GET from the source piped into a PUT of known length) otherwise. Each object takes one slot of the copy
 * limiter, acquired inside the caller's collection and segment slots (collection → segment → copy, as Go).
 */

/** One object to copy (a segment's binlog, layout/binlogKeys.ts segmentObjects). */
export type CopyItem = SegmentObject;

export type TransferMode = 'auto' | 'direct' | 'streaming';

/**
 * Go main `storage.UseStreaming`: `streaming` always streams, `direct` never does, `auto` streams unless both
 * stores are the same backend (provider, endpoint, region, TLS — buckets and root paths may differ).
 */
export function useStreaming(mode: TransferMode, src: Pick<ObjectStore, 'backendKey'>, dst: Pick<ObjectStore, 'backendKey'>): boolean {
  if (mode === 'streaming') return true;
  if (mode === 'direct') return false;
  return src.backendKey !== dst.backendKey;
}

export interface CopierOptions {
  src: Location;
  dst: Location;
  streaming: boolean;
  limiter: Limiter;
  signal?: AbortSignal;
  /** Attempts of a whole object copy (the stores retry their own requests too). */
  attempts?: number;
  onRetry?: (item: CopyItem, e: unknown, attempt: number) => void;
  /** Streaming only: bytes read from the source as they flow (deltas; negative after a failed attempt). */
  onBytes?: (delta: number) => void;
}

interface CopyResult {
  /** ETag the destination reported for a streamed PUT (server-side copies get theirs from verification). */
  etag?: string;
}

/** Go's collision guard: a destination key equal to its source key would overwrite Milvus's own file. */
function assertDistinct(item: CopyItem): void {
  if (item.srcKey === item.dstKey) {
    throw new UserError(
      `backup destination key "${item.dstKey}" equals its source key: the backup root path must not be where Milvus keeps its binlogs`,
      'key-collision',
    );
  }
}

export function copyOne(o: CopierOptions, item: CopyItem): Promise<CopyResult> {
  assertDistinct(item);
  if (o.streaming) {
    // copyBetween retries a broken stream itself (and reports the bytes of a failed attempt back as negative).
    return o.limiter(async () => {
      const info = await copyBetween(o.src.store, o.src.bucket, item.srcKey, o.dst.store, o.dst.bucket, item.dstKey, {
        size: item.size, signal: o.signal, onBytes: o.onBytes, attempts: o.attempts ?? 3,
      });
      return { etag: info.etag };
    }, o.signal);
  }
  return o.limiter(
    () =>
      retry(
        async () => {
          await o.dst.store.copyObject(o.src.bucket, item.srcKey, o.dst.bucket, item.dstKey, { size: item.size, signal: o.signal });
          return {};
        },
        {
          attempts: o.attempts ?? 3,
          initialDelayMs: 200,
          maxDelayMs: 3000,
          signal: o.signal,
          retryable: (e) => !isAbortError(e) && !(e instanceof UserError) && !isNotFound(e),
          onRetry: (e, attempt) => o.onRetry?.(item, e, attempt),
        },
      ),
    o.signal,
  );
}

/** A missing source object will not appear by retrying (GC took it); fail at once with the key. */
function isNotFound(e: unknown): boolean {
  const x = e as { code?: string; name?: string; statusCode?: number };
  return x?.code === 'NoSuchKey' || x?.code === 'NotFound' || x?.code === 'ENOENT' || x?.statusCode === 404;
}
