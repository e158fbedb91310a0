import type * as Minio from 'minio';
import type { StoreLimits } from './limits';

/**
 * What the multipart helpers need from MinioStore: the client, the one request wrapper (limit, retry, abort,
 * error wrapping) and the best-effort abort of a multipart upload.
 */
export interface S3Calls {
  readonly client: Minio.Client;
  call<T>(kind: keyof StoreLimits, target: string, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T>;
  abortUpload(bucket: string, key: string, uploadId: string): Promise<void>;
}
