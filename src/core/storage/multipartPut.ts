import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { CancelledError } from '../errors';
import { throwIfAborted } from '../jobs/abort';
import { PartReader } from './partReader';
import { planParts } from './partPlan';
import type { S3Calls } from './s3Calls';
import { describeTarget, wrapStorageError } from './storageError';

/**
 * Multipart upload of a stream (or buffer) of known length. Parts go one at a time from one reused buffer:
 * memory is one part whatever the object's size, and every part can be retried from that buffer. Each part
 * carries its Content-MD5, so the server rejects bytes damaged on the way. On any failure the upload is
 * aborted. Returns the ETag CompleteMultipartUpload gave (Ceph RGW gives '': the caller stats).
 */
export async function putMultipart(
  s3: S3Calls,
  bucket: string,
  key: string,
  body: Readable | Buffer,
  size: number,
  partSize: number,
  signal?: AbortSignal,
): Promise<string> {
  const target = describeTarget('put (multipart)', bucket, key);
  const parts = planParts(size, partSize);
  const uploadId = await s3.call('write', target, signal, () => s3.client.initiateNewMultipartUpload(bucket, key, {}));
  const reader = Buffer.isBuffer(body) ? undefined : new PartReader(body, size);
  const buf = reader ? Buffer.allocUnsafe(partSize) : undefined;
  try {
    const etags: Array<{ part: number; etag: string }> = [];
    for (const p of parts) {
      throwIfAborted(signal);
      const n = p.end - p.start + 1;
      const chunk = reader ? await reader.read(buf!, n) : (body as Buffer).subarray(p.start, p.end + 1);
      const md5 = createHash('md5').update(chunk).digest('base64');
      const r = await s3.call('write', `${target} part ${p.partNumber}/${parts.length}`, signal, () =>
        s3.client.uploadPart(
          { bucketName: bucket, objectName: key, uploadID: uploadId, partNumber: p.partNumber, headers: { 'Content-MD5': md5 } },
          chunk,
        ),
      );
      etags.push({ part: p.partNumber, etag: r.etag });
    }
    await reader?.finish();
    const done = await s3.call('write', target, signal, () => s3.client.completeMultipartUpload(bucket, key, uploadId, etags));
    return done.etag ?? '';
  } catch (e) {
    reader?.destroy();
    await s3.abortUpload(bucket, key, uploadId);
    throw signal?.aborted ? new CancelledError(`${target}: cancelled`) : wrapStorageError(e, target);
  }
}
