import type { Readable } from 'node:stream';

/**
 * The one storage interface the engines use. Implementations: S3/MinIO over the `minio` client
 * (`minioStore.ts`) and the local filesystem (`localStore.ts`). Keys never start with `/`; a "prefix" used
 * for delimiter listings ends with `/`.
 *
 * Every method takes an optional AbortSignal and must stop promptly when it fires (rejecting with an
 * AbortError, see core/errors). Retryable failures (network resets, 5xx, SlowDown) are retried inside the
 * implementation (10 attempts, 200 ms → 3 s); everything else fails at once with a clear message.
 */
export interface ObjectInfo {
  key: string;
  size: number;
  /** The store's ETag without quotes (S3 single-part PUT: MD5 hex; multipart: `<md5>-N`), when it has one. */
  etag?: string;
  lastModified?: Date;
}

export type ListEntry = ({ type: 'object' } & ObjectInfo) | { type: 'prefix'; prefix: string };

export interface ListOptions {
  /** true: every object below the prefix; false: objects directly below plus common prefixes (delimiter `/`). */
  recursive: boolean;
  signal?: AbortSignal;
}

export interface OpOptions {
  signal?: AbortSignal;
}

export interface PutOptions extends OpOptions {
  /**
   * Store only when no object has the key yet (S3 `If-None-Match: *`; AWS, Ceph RGW, MinIO and our patched
   * s3rver honour it): otherwise fail with a StorageError whose storageCode is `PreconditionFailed`. A store
   * that cannot express the condition may ignore it: callers that rely on it detect that (backup/nameClaim).
   * Single-part puts only.
   */
  ifAbsent?: boolean;
}

/** The storage code of a put refused by `ifAbsent` (S3's 412 answer). */
export const PRECONDITION_FAILED = 'PreconditionFailed';

export interface ObjectStore {
  /** Provider kind, canonical (`minio`, `s3`, `aws`, `gcp`, `aliyun`, `tencent`, `hwc`, `azure`, `local`…). */
  readonly provider: string;
  /**
   * Identifies the service behind the store: two stores with the same `backendKey` can copy server-side
   * between their buckets (same provider, endpoint host:port, region, TLS; buckets and root paths may differ).
   */
  readonly backendKey: string;

  bucketExists(bucket: string, o?: OpOptions): Promise<boolean>;
  createBucket(bucket: string, o?: OpOptions): Promise<void>;

  /** Pages through the listing (past 1000 keys) lazily, in S3 key order. */
  list(bucket: string, prefix: string, o: ListOptions): AsyncIterable<ListEntry>;
  /** undefined when the object does not exist. */
  stat(bucket: string, key: string, o?: OpOptions): Promise<ObjectInfo | undefined>;
  get(bucket: string, key: string, o?: OpOptions & { offset?: number; length?: number }): Promise<Readable>;
  /** Puts a stream (or buffer) of known length; returns the stored object's info (stat'ed if the PUT gave no ETag). */
  put(bucket: string, key: string, body: Readable | Buffer, size: number, o?: PutOptions): Promise<ObjectInfo>;
  /**
   * Server-side copy inside this service (same backendKey). Objects of at least the multipart threshold are
   * copied with multipart UploadPartCopy; smaller ones with CopyObject.
   */
  copyObject(srcBucket: string, srcKey: string, dstBucket: string, dstKey: string, o?: OpOptions & { size?: number }): Promise<void>;
  /** Batch delete; missing keys are not an error. */
  deleteObjects(bucket: string, keys: readonly string[], o?: OpOptions): Promise<void>;
  /** Releases sockets/handles; the store is unusable afterwards. */
  close(): Promise<void>;
}
