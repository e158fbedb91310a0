import { Transform, type Readable } from 'node:stream';
import { isAbortError } from '../errors';
import { throwIfAborted } from '../jobs/abort';
import { retry } from '../jobs/retry';
import type { ObjectInfo, ObjectStore } from './objectStore';
import { DEFAULT_RETRY } from './retrySettings';
import { isRetryableStorageError, wrapStorageError } from './storageError';

export interface CopyBetweenOptions {
  /** Bytes to copy (from a listing); the PUT announces it up front and the copy fails if the source differs. */
  size: number;
  signal?: AbortSignal;
  /**
   * Progress in bytes read from the source, as deltas. A retried copy starts over, and first reports the
   * bytes of the failed attempt back as a negative delta, so the running sum stays the bytes copied.
   */
  onBytes?: (delta: number) => void;
  /**
   * Whole-copy attempts. Default 3: each store already retries every request 10 times (the Go tool's policy);
   * this outer loop is for what those cannot retry, a source stream breaking mid-body.
   */
  attempts?: number;
}

/**
 * Streaming copy between two stores (different services, or when server-side copy is not wanted):
 * GET from the source piped into a PUT of known length. Memory stays constant: the destination uploads in
 * parts from one part buffer, and the pipe's backpressure holds the source.
 */
export async function copyBetween(
  src: ObjectStore,
  srcBucket: string,
  srcKey: string,
  dst: ObjectStore,
  dstBucket: string,
  dstKey: string,
  o: CopyBetweenOptions,
): Promise<ObjectInfo> {
  const target = `copy ${src.provider}:${srcBucket}/${srcKey} to ${dst.provider}:${dstBucket}/${dstKey}`;
  return retry(
    async () => {
      throwIfAborted(o.signal);
      let read = 0;
      let body: Readable | undefined;
      try {
        body = await src.get(srcBucket, srcKey, { signal: o.signal });
        const counted = body.pipe(
          new Transform({
            transform(chunk: Buffer, _enc, cb) {
              read += chunk.length;
              o.onBytes?.(chunk.length);
              cb(null, chunk);
            },
          }),
        );
        // a failing source must fail the upload that reads from it
        body.once('error', (e) => counted.destroy(e));
        const info = await dst.put(dstBucket, dstKey, counted, o.size, { signal: o.signal });
        return info;
      } catch (e) {
        body?.destroy();
        if (read > 0) o.onBytes?.(-read);
        if (isAbortError(e)) throw e;
        throw wrapStorageError(e, target);
      }
    },
    {
      attempts: o.attempts ?? 3,
      initialDelayMs: DEFAULT_RETRY.initialDelayMs,
      maxDelayMs: DEFAULT_RETRY.maxDelayMs,
      retryable: isRetryableStorageError,
      signal: o.signal,
    },
  );
}
