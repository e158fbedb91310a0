import type { Agent } from 'node:http';
import { Readable } from 'node:stream';
import * as Minio from 'minio';
import { CancelledError, isAbortError } from '../errors';
import { sleep, throwIfAborted } from '../jobs/abort';
import { retry } from '../jobs/retry';
import { checkBucketName } from './bucketName';
import { createAgent, createTransport, runWithRequestContext, type RequestContext } from './httpTransport';
import { compareKeys } from './keyOrder';
import { createStoreLimits, type StoreConcurrency, type StoreLimits } from './limits';
import type { ListEntry, ListOptions, ObjectInfo, ObjectStore, OpOptions, PutOptions } from './objectStore';
import { copyMultipart } from './multipartCopy';
import { putMultipart } from './multipartPut';
import { PartReader } from './partReader';
import { DEFAULT_PUT_PART_SIZE, MiB, putPartSize } from './partPlan';
import { DEFAULT_RETRY, type RetrySettings } from './retrySettings';
import type { S3Calls } from './s3Calls';
import { StorageError, describeTarget, isRetryableStorageError, wrapStorageError, wrongAddressError } from './storageError';

export { DEFAULT_RETRY, type RetrySettings } from './retrySettings';

export interface MinioStoreOptions {
  /** Canonical provider name (`minio`, `s3`, `aws`, `gcp`, `aliyun`, `tencent`, `hwc`). */
  provider: string;
  endPoint: string;
  /** 0 or undefined: the scheme's default port. */
  port?: number;
  useSSL: boolean;
  /** Empty: looked up per bucket (GetBucketLocation), like minio-go. */
  region?: string;
  accessKey: string;
  secretKey: string;
  sessionToken?: string;
  /** false: virtual-host bucket lookup (`bucket.host`), needed by Aliyun OSS and Tencent COS. */
  pathStyle?: boolean;
  /** Credentials from elsewhere (IAM); overrides accessKey/secretKey. */
  credentialsProvider?: Minio.ClientOptions['credentialsProvider'];
  /** Objects at least this big are copied server-side with UploadPartCopy (default 500 MiB, Go `internal/cfg/cfg.go` MultipartCopyThresholdMiB). */
  multipartCopyThresholdMiB?: number;
  /** false for `gcp`: its S3 interop API has no UploadPartCopy. */
  multipartCopy?: boolean;
  /** Preferred part size of uploads; also the single-PUT limit. Memory per upload = one part. Default 8 (DEFAULT_PUT_PART_SIZE). */
  putPartSizeMiB?: number;
  /** UploadPartCopy requests in flight per copied object (the Go tool: 10). */
  partCopyConcurrency?: number;
  concurrency?: Partial<StoreConcurrency>;
  retry?: Partial<RetrySettings>;
  /** A request with no socket activity for this long fails with a retryable ETIMEDOUT. Default 120 s. */
  idleTimeoutMs?: number;
  /** Told about each retry, e.g. to log it. */
  onRetry?: (message: string) => void;
}

/**
 * ObjectStore over the minio client, for every S3-speaking provider. minio-js's own retry (once, without
 * reading the answer) is disabled: every request goes through `call`, which applies the per-kind concurrency
 * limit, our retry policy and the abort signal, and turns failures into StorageErrors naming the target.
 */
export class MinioStore implements ObjectStore, S3Calls {
  readonly provider: string;
  readonly backendKey: string;
  readonly client: Minio.Client;
  private readonly agent: Agent;
  private readonly limits: StoreLimits;
  private readonly retrySettings: RetrySettings;
  private readonly copyThreshold: number;
  private readonly multipartCopy: boolean;
  private readonly partSize: number;
  private readonly partCopyConcurrency: number;
  private closed = false;
  /** `scheme://host:port` for messages. */
  private readonly endpoint: string;
  /** Some request got an HTTP answer from the endpoint: its address is known to be right. */
  private answered = false;

  constructor(private readonly o: MinioStoreOptions) {
    this.provider = o.provider;
    // empty: minio-js asks the bucket's location once per bucket, as minio-go does for the Go tool
    const region = o.region || '';
    const maxSockets = 256;
    this.agent = createAgent(o.useSSL, maxSockets);
    this.client = new Minio.Client({
      endPoint: o.endPoint,
      port: o.port || undefined,
      useSSL: o.useSSL,
      accessKey: o.accessKey,
      secretKey: o.secretKey,
      sessionToken: o.sessionToken || undefined,
      region: region || undefined,
      pathStyle: o.pathStyle ?? true,
      credentialsProvider: o.credentialsProvider,
      // our transport has the one `request(options, callback)` form minio-js calls
      transport: createTransport(o.useSSL, o.idleTimeoutMs ?? 120_000) as unknown as Minio.ClientOptions['transport'],
      transportAgent: this.agent,
      retryOptions: { disableRetry: true },
    });
    const port = o.port || (o.useSSL ? 443 : 80);
    this.endpoint = `${o.useSSL ? 'https' : 'http'}://${o.endPoint.toLowerCase()}:${port}`;
    this.backendKey = [o.provider, this.endpoint, region].join('|');
    this.limits = createStoreLimits(o.concurrency);
    this.retrySettings = { ...DEFAULT_RETRY, ...o.retry };
    this.copyThreshold = (o.multipartCopyThresholdMiB ?? 500) * MiB;
    this.multipartCopy = o.multipartCopy ?? true;
    this.partSize = o.putPartSizeMiB ? o.putPartSizeMiB * MiB : DEFAULT_PUT_PART_SIZE;
    this.partCopyConcurrency = o.partCopyConcurrency ?? 10;
  }

  /** One storage request: limited per kind, retried on retryable failures, cancellable, errors wrapped. */
  call<T>(kind: keyof StoreLimits, target: string, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`${target}: the store is closed`));
    return this.limits[kind](
      () =>
        retry(
          async () => {
            throwIfAborted(signal);
            const ctx: RequestContext = { signal };
            try {
              const r = await runWithRequestContext(ctx, fn);
              this.answered = true;
              return r;
            } catch (e) {
              if (ctx.answered) this.answered = true;
              if (signal?.aborted || isAbortError(e)) throw new CancelledError(`${target}: cancelled`);
              // Until the endpoint has answered once, a refused connection, an unknown host or no route means
              // the configured address is wrong (a typo'd port): fail now, not after ~18 s of backoff. Once it
              // has answered, the same errors mean a server restarting or a network blip, and are retried.
              const wrong = this.answered ? undefined : wrongAddressError(ctx.requestError, target, this.endpoint);
              if (wrong) throw wrong;
              // the transport is still reading the error body minio-js skipped: wait briefly for its code
              if (ctx.lastHttpRead) await Promise.race([ctx.lastHttpRead, sleep(1000)]);
              throw wrapStorageError(e, target, ctx.lastHttp);
            }
          },
          {
            ...this.retrySettings,
            retryable: isRetryableStorageError,
            signal,
            onRetry: (e, attempt, delay) =>
              this.o.onRetry?.(`retrying ${target} (attempt ${attempt + 1}/${this.retrySettings.attempts}) in ${delay} ms: ${(e as Error).message}`),
          },
        ),
      signal,
    );
  }

  async bucketExists(bucket: string, o: OpOptions = {}): Promise<boolean> {
    checkBucketName(this.provider, bucket);
    return this.call('read', describeTarget('bucket exists', bucket), o.signal, () => this.client.bucketExists(bucket));
  }

  async createBucket(bucket: string, o: OpOptions = {}): Promise<void> {
    checkBucketName(this.provider, bucket);
    try {
      await this.call('write', describeTarget('create bucket', bucket), o.signal, () =>
        this.client.makeBucket(bucket, this.o.region || 'us-east-1'),
      );
    } catch (e) {
      // a retried create whose first attempt went through, or a bucket we already own: the goal is reached.
      // Some servers (s3rver) say BucketAlreadyExists even to the owner: accept it when we can use the bucket.
      if (e instanceof StorageError && e.storageCode === 'BucketAlreadyOwnedByYou') return;
      if (e instanceof StorageError && e.storageCode === 'BucketAlreadyExists' && (await this.bucketExists(bucket, o).catch(() => false))) return;
      throw e;
    }
  }

  async *list(bucket: string, prefix: string, o: ListOptions): AsyncIterable<ListEntry> {
    checkBucketName(this.provider, bucket);
    const target = describeTarget(o.recursive ? 'list' : 'list (delimiter /)', bucket, prefix);
    let token = '';
    for (;;) {
      const page = await this.call('list', target, o.signal, () =>
        this.client.listObjectsV2Query(bucket, prefix, token, o.recursive ? '' : '/', 1000, ''),
      );
      const entries: ListEntry[] = page.objects.map((it) =>
        it.prefix !== undefined
          ? { type: 'prefix', prefix: String(it.prefix) }
          : {
              type: 'object',
              key: String(it.name),
              size: Number(it.size),
              etag: it.etag || undefined,
              lastModified: it.lastModified,
            },
      );
      // a page holds its keys and its common prefixes in two lists: merge them into one key order
      entries.sort((a, b) => compareKeys(a.type === 'object' ? a.key : a.prefix, b.type === 'object' ? b.key : b.prefix));
      yield* entries;
      const truncated = page.isTruncated === true || String(page.isTruncated) === 'true';
      if (!truncated) return;
      if (!page.nextContinuationToken) {
        throw new StorageError(`${target} failed: the server marked the listing truncated without a continuation token`, 'BadListing', undefined, false);
      }
      token = String(page.nextContinuationToken);
    }
  }

  async stat(bucket: string, key: string, o: OpOptions = {}): Promise<ObjectInfo | undefined> {
    checkBucketName(this.provider, bucket);
    try {
      const s = await this.call('read', describeTarget('stat', bucket, key), o.signal, () => this.client.statObject(bucket, key));
      return { key, size: s.size, etag: s.etag || undefined, lastModified: s.lastModified };
    } catch (e) {
      if (e instanceof StorageError && (e.storageCode === 'NotFound' || e.storageCode === 'NoSuchKey')) return undefined;
      throw e;
    }
  }

  async get(bucket: string, key: string, o: OpOptions & { offset?: number; length?: number } = {}): Promise<Readable> {
    checkBucketName(this.provider, bucket);
    const { signal } = o;
    const offset = o.offset ?? 0;
    const ranged = o.offset !== undefined || o.length !== undefined;
    if (o.length === 0) return Readable.from([]);
    const stream = await this.call('read', describeTarget('get', bucket, key), signal, () =>
      ranged ? this.client.getPartialObject(bucket, key, offset, o.length ?? 0) : this.client.getObject(bucket, key),
    );
    if (signal) {
      // the request carries the signal too; destroying the body here makes a consumer's read fail at once
      const onAbort = () => stream.destroy(new CancelledError(`get ${bucket}/${key}: cancelled`));
      signal.addEventListener('abort', onAbort, { once: true });
      stream.once('close', () => signal.removeEventListener('abort', onAbort));
    }
    return stream;
  }

  async put(bucket: string, key: string, body: Readable | Buffer, size: number, o: PutOptions = {}): Promise<ObjectInfo> {
    checkBucketName(this.provider, bucket);
    const { signal } = o;
    const target = describeTarget('put', bucket, key);
    if (Buffer.isBuffer(body) && body.length !== size) {
      throw new Error(`${target}: the buffer has ${body.length} bytes, not the announced ${size}`);
    }
    const partSize = putPartSize(size, this.partSize);
    if (o.ifAbsent && size > partSize) throw new Error(`${target}: a conditional put (ifAbsent) must fit in one part`);
    let etag: string;
    if (size <= partSize) {
      let buf: Buffer;
      if (Buffer.isBuffer(body)) buf = body;
      else {
        const reader = new PartReader(body, size);
        try {
          buf = await reader.read(Buffer.allocUnsafe(size), size);
          await reader.finish();
        } catch (e) {
          reader.destroy();
          throw wrapStorageError(e, target);
        }
      }
      // minio-js passes If-None-Match through as a header (helper.isSupportedHeader), not as x-amz-meta-*
      const headers = o.ifAbsent ? { 'If-None-Match': '*' } : undefined;
      const r = await this.call('write', target, signal, () => this.client.putObject(bucket, key, buf, size, headers));
      etag = r.etag;
    } else {
      etag = await putMultipart(this, bucket, key, body, size, partSize, signal);
    }
    if (!etag) {
      // Ceph RGW answers CompleteMultipartUpload with an empty ETag: the object's own stat has it
      const s = await this.stat(bucket, key, { signal });
      if (!s) throw new StorageError(`${target} failed: the object is missing right after its upload`, 'NoSuchKey', undefined, false);
      return s;
    }
    return { key, size, etag };
  }

  /** Best effort, without the (maybe fired) signal: a dangling upload keeps its parts' storage on the server. */
  async abortUpload(bucket: string, key: string, uploadId: string): Promise<void> {
    try {
      await this.call('write', describeTarget('abort multipart upload', bucket, key), undefined, () =>
        this.client.abortMultipartUpload(bucket, key, uploadId),
      );
    } catch {
      // the upload's own failure is what the caller must see
    }
  }

  async copyObject(
    srcBucket: string,
    srcKey: string,
    dstBucket: string,
    dstKey: string,
    o: OpOptions & { size?: number } = {},
  ): Promise<void> {
    checkBucketName(this.provider, srcBucket);
    checkBucketName(this.provider, dstBucket);
    const { signal } = o;
    const target = `copy ${srcBucket}/${srcKey} to ${dstBucket}/${dstKey}`;
    let size = o.size;
    if (size === undefined && this.multipartCopy) {
      const s = await this.stat(srcBucket, srcKey, { signal });
      if (!s) throw new StorageError(`${target} failed: NoSuchKey (the source does not exist)`, 'NoSuchKey', 404, false);
      size = s.size;
    }
    if (this.multipartCopy && size !== undefined && size >= this.copyThreshold && size > 0) {
      await copyMultipart(this, { srcBucket, srcKey, dstBucket, dstKey, size, target }, this.partCopyConcurrency, signal);
      return;
    }
    await this.call('copy', target, signal, () => this.client.copyObject(dstBucket, dstKey, `${srcBucket}/${srcKey}`));
  }

  async deleteObjects(bucket: string, keys: readonly string[], o: OpOptions = {}): Promise<void> {
    checkBucketName(this.provider, bucket);
    const chunks: string[][] = [];
    for (let i = 0; i < keys.length; i += 1000) chunks.push(keys.slice(i, i + 1000));
    await Promise.all(
      chunks.map(async (chunk) => {
        const target = describeTarget(`delete ${chunk.length} objects in`, bucket);
        const errors = (await this.call('delete', target, o.signal, () => this.client.removeObjects(bucket, chunk))) as Array<{
          Code?: string;
          Key?: string;
          Message?: string;
        }>;
        const real = errors.filter((x) => x.Code !== 'NoSuchKey');
        if (real.length > 0) {
          const f = real[0]!;
          throw new StorageError(
            `delete ${bucket}/${String(f.Key)} failed: ${f.Code ?? 'Error'}${f.Message ? `: ${f.Message}` : ''}` +
              (real.length > 1 ? ` (and ${real.length - 1} more keys)` : ''),
            f.Code ?? 'Error',
            undefined,
            false,
          );
        }
      }),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    this.agent.destroy();
  }
}
