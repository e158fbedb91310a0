import { CancelledError, isAbortError } from '../errors';
import { mapLimit } from '../jobs/limit';
import { copyPartSize, planParts } from './partPlan';
import type { S3Calls } from './s3Calls';
import { StorageError, wrapStorageError } from './storageError';

interface CopyTarget {
  srcBucket: string;
  srcKey: string;
  dstBucket: string;
  dstKey: string;
  size: number;
  /** How messages name this copy. */
  target: string;
}

/**
 * Server-side copy with UploadPartCopy in the Go tool's layout (Go `internal/storage/minio.go`): part size max(10 MiB,
 * ceil(size/10000)), at most `partConcurrency` parts in flight, the upload aborted on any failure. Not
 * minio-js `composeObject`: in 8.0.7 it numbers every range of one source as part 1, and on failure aborts
 * the upload and resolves as if it had succeeded.
 */
export async function copyMultipart(s3: S3Calls, c: CopyTarget, partConcurrency: number, signal?: AbortSignal): Promise<void> {
  const { srcBucket, srcKey, dstBucket, dstKey, size, target } = c;
  const parts = planParts(size, copyPartSize(size));
  const uploadId = await s3.call('copy', `${target} (initiate)`, signal, () => s3.client.initiateNewMultipartUpload(dstBucket, dstKey, {}));
  // one failed part stops the others at once
  const inner = new AbortController();
  const onAbort = () => inner.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  const source = `/${srcBucket}/${srcKey.split('/').map(encodeURIComponent).join('/')}`;
  try {
    const etags = await mapLimit(
      parts,
      partConcurrency,
      async (p) => {
        try {
          const r = await s3.call('copy', `${target} part ${p.partNumber}/${parts.length}`, inner.signal, () =>
            s3.client.uploadPart(
              {
                bucketName: dstBucket,
                objectName: dstKey,
                uploadID: uploadId,
                partNumber: p.partNumber,
                headers: { 'x-amz-copy-source': source, 'x-amz-copy-source-range': `bytes=${p.start}-${p.end}` },
              },
              '',
            ),
          );
          if (!r.etag) throw new StorageError(`${target} part ${p.partNumber} failed: no ETag in the answer`, 'BadPartCopy', undefined, false);
          return { part: p.partNumber, etag: r.etag };
        } catch (e) {
          inner.abort(e);
          throw e;
        }
      },
      inner.signal,
    );
    await s3.call('copy', `${target} (complete)`, signal, () => s3.client.completeMultipartUpload(dstBucket, dstKey, uploadId, etags));
  } catch (e) {
    await s3.abortUpload(dstBucket, dstKey, uploadId);
    if (signal?.aborted) throw new CancelledError(`${target}: cancelled`);
    // the first real failure, not the cancellations it caused in the other parts
    const first = inner.signal.aborted && inner.signal.reason instanceof Error && !isAbortError(inner.signal.reason) ? inner.signal.reason : e;
    throw wrapStorageError(first, target);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
