import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { BlobClient, BlobServiceClient, BlockBlobClient, ContainerClient, StorageSharedKeyCredential, UserDelegationKey } from '@azure/storage-blob';
import { CancelledError } from '../errors';
import { throwIfAborted } from '../jobs/abort';
import { createLimiter } from '../jobs/limit';
import { checkBucketName } from './bucketName';
import { compareKeys } from './keyOrder';
import type { StoreConcurrency } from './limits';
import type { ListEntry, ListOptions, ObjectInfo, ObjectStore, OpOptions } from './objectStore';
import { DEFAULT_PUT_PART_SIZE, MiB, copyPartSize, planParts, putPartSize } from './partPlan';
import { PartReader } from './partReader';
import type { RetrySettings } from './retrySettings';
import { SdkCalls, netCodeIn } from './sdkCalls';
import { loadAzureBlob, loadAzureIdentity } from './sdkLoad';
import { StorageError, describeTarget, type StorageFacts } from './storageError';

export interface AzureStoreOptions {
  /**
   * The blob service URL: `https://<account>.blob.core.windows.net` (production style, the Go tool's only
   * form), or path-style `http://127.0.0.1:10000/<account>` as Azurite serves it.
   */
  serviceUrl: string;
  accountName: string;
  /** Shared Key authentication; absent: DefaultAzureCredential (managed / workload identity, az login…). */
  accountKey?: string;
  /** Objects at least this big are copied block by block (Put Block From URL); capped at 256 MiB, see below. */
  multipartCopyThresholdMiB?: number;
  /** Block size of uploads; also the single-request limit. Memory per upload = one block. Default 8 MiB. */
  putPartSizeMiB?: number;
  /** Put Block From URL requests in flight per copied object (the Go tool: 10). */
  partCopyConcurrency?: number;
  concurrency?: Partial<StoreConcurrency>;
  retry?: Partial<RetrySettings>;
  /** Told about each retry, and about a server-side copy the service refused (then streamed). */
  onRetry?: (message: string) => void;
}

/**
 * Copy Blob From URL is synchronous only up to 256 MiB; bigger objects are staged from URL block by block. The
 * Go tool caps its threshold the same way (internal/storage/azure.go `_azureMaxSyncCopySize`).
 */
const MAX_SYNC_COPY = 256 * MiB;
/** Blob Batch takes at most 256 sub-requests. */
const BATCH_MAX = 256;
/** How long a signed copy source stays valid: one copy request, with room for retries and clock skew. */
const SAS_LIFETIME_MS = 60 * 60_000;

/**
 * ObjectStore over @azure/storage-blob (`storageType: azure`; bucket = container). The SDK (and
 * @azure/identity, for DefaultAzureCredential) is loaded on first use, so nothing heavy loads at activation.
 * The SDK's retries are off: every request goes through SdkCalls (limits, our retry policy, abort, errors).
 *
 * Server-side copy signs its source, which Copy Blob From URL needs even inside one account: a short-lived
 * read-only SAS for that one blob, signed with the account key or, with an identity, a user-delegation key
 * (the Go tool: internal/storage/azure.go `getSAS`, which signs a 48 h account/container SAS instead). When the
 * service refuses the copy anyway (`CannotVerifyCopySource`: a firewall or private endpoint between the account
 * and the copy engine, the Go tool's issues #446/#719), the store streams the object through this process from
 * then on, and says so once through onRetry.
 */
export class AzureStore implements ObjectStore {
  readonly provider = 'azure';
  readonly backendKey: string;
  private readonly calls: SdkCalls;
  private readonly copyThreshold: number;
  private readonly partSize: number;
  private readonly partCopyConcurrency: number;
  private svc?: BlobServiceClient;
  private sharedKey?: StorageSharedKeyCredential;
  private delegation?: { key: UserDelegationKey; expires: number };
  /** The service refused a server-side copy with CannotVerifyCopySource: stream every copy. */
  private copyRefused = false;
  private readonly https: boolean;

  constructor(private readonly o: AzureStoreOptions) {
    const u = new URL(o.serviceUrl);
    this.https = u.protocol === 'https:';
    const port = u.port || (this.https ? '443' : '80');
    const endpoint = `${u.protocol}//${u.hostname}:${port}`;
    this.backendKey = ['azure', `${endpoint}${u.pathname.replace(/\/+$/, '')}`, o.accountName].join('|');
    this.calls = new SdkCalls({ concurrency: o.concurrency, retry: o.retry, onRetry: o.onRetry, endpoint, facts: azureFacts });
    const threshold = (o.multipartCopyThresholdMiB ?? 500) * MiB;
    this.copyThreshold = Math.min(threshold > 0 ? threshold : MAX_SYNC_COPY, MAX_SYNC_COPY);
    this.partSize = o.putPartSizeMiB ? o.putPartSizeMiB * MiB : DEFAULT_PUT_PART_SIZE;
    this.partCopyConcurrency = o.partCopyConcurrency ?? 10;
  }

  /** The service client, built (and the SDK loaded) on first use. */
  private service(): BlobServiceClient {
    if (this.svc) return this.svc;
    const sdk = loadAzureBlob();
    // one attempt per SDK call: SdkCalls retries, so a failure is retried (and logged) exactly once per policy
    const options = { retryOptions: { maxTries: 1 } };
    if (this.o.accountKey !== undefined) {
      this.sharedKey = new sdk.StorageSharedKeyCredential(this.o.accountName, this.o.accountKey);
      this.svc = new sdk.BlobServiceClient(this.o.serviceUrl, this.sharedKey, options);
    } else {
      const { DefaultAzureCredential } = loadAzureIdentity();
      this.svc = new sdk.BlobServiceClient(this.o.serviceUrl, new DefaultAzureCredential(), options);
    }
    return this.svc;
  }

  private container(bucket: string): ContainerClient {
    checkBucketName(this.provider, bucket);
    return this.service().getContainerClient(bucket);
  }

  private blob(bucket: string, key: string): BlockBlobClient {
    return this.container(bucket).getBlockBlobClient(key);
  }

  async bucketExists(bucket: string, o: OpOptions = {}): Promise<boolean> {
    const c = this.container(bucket);
    return this.calls.run('read', describeTarget('bucket exists', bucket), o.signal, () => c.exists({ abortSignal: o.signal }));
  }

  async createBucket(bucket: string, o: OpOptions = {}): Promise<void> {
    const c = this.container(bucket);
    await this.calls.run('write', describeTarget('create bucket', bucket), o.signal, () => c.createIfNotExists({ abortSignal: o.signal }));
  }

  async *list(bucket: string, prefix: string, o: ListOptions): AsyncIterable<ListEntry> {
    const c = this.container(bucket);
    const target = describeTarget(o.recursive ? 'list' : 'list (delimiter /)', bucket, prefix);
    let marker: string | undefined;
    for (;;) {
      const page = await this.calls.run('list', target, o.signal, async () => {
        const pages = o.recursive
          ? c.listBlobsFlat({ prefix, abortSignal: o.signal }).byPage({ continuationToken: marker, maxPageSize: 1000 })
          : c.listBlobsByHierarchy('/', { prefix, abortSignal: o.signal }).byPage({ continuationToken: marker, maxPageSize: 1000 });
        const r = await pages.next();
        return r.done ? undefined : r.value;
      });
      if (!page) return;
      const seg = page.segment as { blobItems: Array<{ name: string; properties: { contentLength?: number; contentMD5?: Uint8Array; etag?: string; lastModified?: Date } }>; blobPrefixes?: Array<{ name: string }> };
      const entries: ListEntry[] = [
        ...seg.blobItems.map((b): ListEntry => ({ type: 'object', ...blobInfo(b.name, b.properties) })),
        ...(seg.blobPrefixes ?? []).map((p): ListEntry => ({ type: 'prefix', prefix: p.name })),
      ];
      // a page holds blobs and prefixes in two lists: merge them into one key order
      entries.sort((a, b) => compareKeys(a.type === 'object' ? a.key : a.prefix, b.type === 'object' ? b.key : b.prefix));
      yield* entries;
      marker = page.continuationToken;
      if (!marker) return;
    }
  }

  async stat(bucket: string, key: string, o: OpOptions = {}): Promise<ObjectInfo | undefined> {
    const b = this.blob(bucket, key);
    try {
      const p = await this.calls.run('read', describeTarget('stat', bucket, key), o.signal, () => b.getProperties({ abortSignal: o.signal }));
      return blobInfo(key, p);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async get(bucket: string, key: string, o: OpOptions & { offset?: number; length?: number } = {}): Promise<Readable> {
    const b = this.blob(bucket, key);
    const { signal } = o;
    if (o.length === 0) return Readable.from([]);
    const r = await this.calls.run('read', describeTarget('get', bucket, key), signal, () =>
      // the SDK re-requests the rest from the current offset when the body breaks (the Go tool's NewRetryReader)
      b.download(o.offset ?? 0, o.length, { abortSignal: signal, maxRetryRequests: 5 }),
    );
    const body = r.readableStreamBody as Readable | undefined;
    if (!body) return Readable.from([]);
    if (signal) {
      const onAbort = () => body.destroy(new CancelledError(`get ${bucket}/${key}: cancelled`));
      signal.addEventListener('abort', onAbort, { once: true });
      body.once('close', () => signal.removeEventListener('abort', onAbort));
    }
    return body;
  }

  async put(bucket: string, key: string, body: Readable | Buffer, size: number, o: OpOptions = {}): Promise<ObjectInfo> {
    const b = this.blob(bucket, key);
    const { signal } = o;
    const target = describeTarget('put', bucket, key);
    if (Buffer.isBuffer(body) && body.length !== size) {
      throw new Error(`${target}: the buffer has ${body.length} bytes, not the announced ${size}`);
    }
    const partSize = putPartSize(size, this.partSize);
    const reader = Buffer.isBuffer(body) ? undefined : new PartReader(body, size);
    const whole = createHash('md5');
    try {
      if (size <= partSize) {
        // one Put Blob; its Content-MD5 makes the service check the bytes, and stat/list report it
        const buf = reader ? await reader.read(Buffer.allocUnsafe(size), size) : (body as Buffer);
        await reader?.finish();
        const md5 = whole.update(buf).digest();
        await this.calls.run('write', target, signal, () =>
          b.upload(buf, size, { abortSignal: signal, blobHTTPHeaders: { blobContentMD5: md5 }, transactionalContentMD5: md5 } as Parameters<BlockBlobClient['upload']>[2]),
        );
        return { key, size, etag: md5.toString('hex') };
      }
      // blocks from one reused buffer, each with its MD5; the blob exists only once the list is committed
      const parts = planParts(size, partSize);
      const buf = reader ? Buffer.allocUnsafe(partSize) : undefined;
      const ids: string[] = [];
      for (const p of parts) {
        throwIfAborted(signal);
        const n = p.end - p.start + 1;
        const chunk = reader ? await reader.read(buf!, n) : (body as Buffer).subarray(p.start, p.end + 1);
        whole.update(chunk);
        const id = blockId(p.partNumber);
        const md5 = createHash('md5').update(chunk).digest();
        await this.calls.run('write', `${target} block ${p.partNumber}/${parts.length}`, signal, () =>
          b.stageBlock(id, chunk, n, { abortSignal: signal, transactionalContentMD5: md5 }),
        );
        ids.push(id);
      }
      await reader?.finish();
      const md5 = whole.digest();
      await this.calls.run('write', target, signal, () => b.commitBlockList(ids, { abortSignal: signal, blobHTTPHeaders: { blobContentMD5: md5 } }));
      return { key, size, etag: md5.toString('hex') };
    } catch (e) {
      reader?.destroy();
      throw this.calls.wrap(e, target, signal);
    }
  }

  async copyObject(srcBucket: string, srcKey: string, dstBucket: string, dstKey: string, o: OpOptions & { size?: number } = {}): Promise<void> {
    const src = this.blob(srcBucket, srcKey);
    const dst = this.blob(dstBucket, dstKey);
    const { signal } = o;
    const target = `copy ${srcBucket}/${srcKey} to ${dstBucket}/${dstKey}`;
    let size = o.size;
    if (size === undefined) {
      const s = await this.stat(srcBucket, srcKey, { signal });
      if (!s) throw new StorageError(`${target} failed: BlobNotFound (the source does not exist)`, 'BlobNotFound', 404, false);
      size = s.size;
    }
    if (!this.copyRefused) {
      try {
        const source = `${src.url}${src.url.includes('?') ? '&' : '?'}${await this.signSource(src, signal)}`;
        if (size < this.copyThreshold) {
          await this.calls.run('copy', target, signal, () => dst.syncCopyFromURL(source, { abortSignal: signal }));
        } else {
          await this.copyInBlocks(dst, source, size, target, signal);
        }
        return;
      } catch (e) {
        // the same code with 404 means the source blob is missing: a plain failure, not a refusal
        if (!(e instanceof StorageError && e.storageCode === 'CannotVerifyCopySource' && e.status !== 404)) throw e;
        this.copyRefused = true;
        this.o.onRetry?.(`${target}: the service refused the server-side copy (${e.message}); streaming this and later copies through this process instead`);
      }
    }
    await this.streamCopy(srcBucket, srcKey, dstBucket, dstKey, size, signal);
  }

  /** Put Block From URL in copy-sized ranges (the Go tool's multiPartCopy), then one Put Block List. */
  private async copyInBlocks(dst: BlockBlobClient, source: string, size: number, target: string, signal?: AbortSignal): Promise<void> {
    const parts = planParts(size, copyPartSize(size));
    const limit = createLimiter(this.partCopyConcurrency);
    await Promise.all(
      parts.map((p) =>
        limit(
          () =>
            this.calls.run('copy', `${target} block ${p.partNumber}/${parts.length}`, signal, () =>
              dst.stageBlockFromURL(blockId(p.partNumber), source, p.start, p.end - p.start + 1, { abortSignal: signal }),
            ),
          signal,
        ),
      ),
    );
    await this.calls.run('copy', target, signal, () => dst.commitBlockList(parts.map((p) => blockId(p.partNumber)), { abortSignal: signal }));
  }

  /** The fallback when the service cannot read the source itself: GET piped into a block upload. */
  private async streamCopy(srcBucket: string, srcKey: string, dstBucket: string, dstKey: string, size: number, signal?: AbortSignal): Promise<void> {
    const body = await this.get(srcBucket, srcKey, { signal });
    try {
      await this.put(dstBucket, dstKey, body, size, { signal });
    } finally {
      body.destroy();
    }
  }

  /** A read-only SAS for one blob: signed with the account key, or with a user-delegation key for identities. */
  private async signSource(src: BlobClient, signal?: AbortSignal): Promise<string> {
    const sdk = loadAzureBlob();
    const now = Date.now();
    const values = {
      containerName: src.containerName,
      blobName: src.name,
      permissions: sdk.BlobSASPermissions.parse('r'),
      // a little in the past: the service's clock may run behind ours
      startsOn: new Date(now - 5 * 60_000),
      expiresOn: new Date(now + SAS_LIFETIME_MS),
      protocol: this.https ? sdk.SASProtocol.Https : sdk.SASProtocol.HttpsAndHttp,
    };
    this.service();
    if (this.sharedKey) return sdk.generateBlobSASQueryParameters(values, this.sharedKey).toString();
    const key = await this.delegationKey(now, signal);
    return sdk.generateBlobSASQueryParameters(values, key, this.o.accountName).toString();
  }

  /** A user-delegation key (one service call), reused until it has less than a SAS lifetime left. */
  private async delegationKey(now: number, signal?: AbortSignal): Promise<UserDelegationKey> {
    if (this.delegation && this.delegation.expires - now > 2 * SAS_LIFETIME_MS) return this.delegation.key;
    const expires = now + 6 * SAS_LIFETIME_MS;
    const svc = this.service();
    const key = await this.calls.run('read', 'get user delegation key', signal, () =>
      svc.getUserDelegationKey(new Date(now - 5 * 60_000), new Date(expires), { abortSignal: signal }),
    );
    this.delegation = { key, expires };
    return key;
  }

  async deleteObjects(bucket: string, keys: readonly string[], o: OpOptions = {}): Promise<void> {
    const c = this.container(bucket);
    const batch = this.service().getBlobBatchClient();
    const chunks: string[][] = [];
    for (let i = 0; i < keys.length; i += BATCH_MAX) chunks.push(keys.slice(i, i + BATCH_MAX));
    await Promise.all(
      chunks.map(async (chunk) => {
        const target = describeTarget(`delete ${chunk.length} objects in`, bucket);
        const r = await this.calls.run('delete', target, o.signal, () =>
          batch.deleteBlobs(chunk.map((k) => c.getBlobClient(k)), { abortSignal: o.signal }),
        );
        // a retried batch finds the blobs of its first attempt gone: missing blobs are not an error
        const failed = r.subResponses.filter((s) => s.status >= 300 && s.status !== 404 && s.errorCode !== 'BlobNotFound');
        if (failed.length > 0) {
          const f = failed[0]!;
          const key = decodeURIComponent(new URL(f._request.url).pathname.split('/').slice(-1)[0] ?? '');
          throw new StorageError(
            `delete ${bucket}/${key} failed: HTTP ${f.status} ${f.errorCode ?? f.statusMessage}` + (failed.length > 1 ? ` (and ${failed.length - 1} more keys)` : ''),
            f.errorCode ?? `HTTP${f.status}`,
            f.status,
            false,
          );
        }
      }),
    );
  }

  async close(): Promise<void> {
    this.calls.closed = true;
  }
}

/** Block ids must be base64 of equal length within a blob (the Go tool's `block-%08d`). */
function blockId(n: number): string {
  return Buffer.from(`block-${String(n).padStart(8, '0')}`).toString('base64');
}

/** Our ObjectInfo for a blob: the ETag is the content MD5 in hex when the blob has one, as S3's is. */
function blobInfo(key: string, p: { contentLength?: number; contentMD5?: Uint8Array; etag?: string; lastModified?: Date }): ObjectInfo {
  const md5 = p.contentMD5 && p.contentMD5.length > 0 ? Buffer.from(p.contentMD5).toString('hex') : undefined;
  return { key, size: Number(p.contentLength ?? 0), etag: md5 ?? p.etag?.replace(/"/g, ''), lastModified: p.lastModified };
}

function isNotFound(e: unknown): boolean {
  return e instanceof StorageError && (e.status === 404 || e.storageCode === 'BlobNotFound');
}

/** An SDK failure (RestError: `code` is the service's x-ms-error-code, `statusCode` the HTTP status). */
export function azureFacts(e: unknown): StorageFacts {
  const err = e as { code?: unknown; statusCode?: unknown; message?: unknown; details?: { errorCode?: unknown } };
  const message = typeof err?.message === 'string' ? err.message.split('\n')[0]!.trim() : String(e);
  const status = typeof err?.statusCode === 'number' ? err.statusCode : undefined;
  let code = typeof err?.details?.errorCode === 'string' ? err.details.errorCode : typeof err?.code === 'string' ? err.code : 'Error';
  // a request that never got an answer: the Node error code is only in the message
  if (status === undefined && (code === 'REQUEST_SEND_ERROR' || code === 'Error')) code = netCodeIn(message) ?? code;
  if (status !== undefined && (code === 'Error' || code === 'REQUEST_SEND_ERROR')) code = `HTTP${status}`;
  return { code, status, message };
}

/**
 * The blob service URL for a config side: the Go tool's `https://<account>.blob.<address>` (:443 dropped;
 * internal/storage/azure.go newAzureClient), or path-style `scheme://address:port/<account>` when the address
 * is an IP or `localhost`, which is how Azurite (and Azure Stack's emulators) serve accounts.
 */
export function azureServiceUrl(address: string, port: number, useSSL: boolean, account: string): string {
  const host = address || 'core.windows.net';
  const local = host === 'localhost' || /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(':');
  if (local) {
    const h = host.includes(':') ? `[${host}]` : host;
    return `${useSSL ? 'https' : 'http'}://${h}${port ? `:${port}` : ''}/${encodeURIComponent(account)}`;
  }
  // the Go tool always speaks https to Azure, whatever useSSL says
  return `https://${account}.blob.${host}${port && port !== 443 ? `:${port}` : ''}`;
}
