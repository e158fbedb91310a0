import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Readable, Transform, pipeline } from 'node:stream';
import type { Bucket, File, Storage, StorageOptions } from '@google-cloud/storage';
import { CancelledError, UserError } from '../errors';
import { throwIfAborted } from '../jobs/abort';
import { checkBucketName } from './bucketName';
import { compareKeys } from './keyOrder';
import type { StoreConcurrency } from './limits';
import type { ListEntry, ListOptions, ObjectInfo, ObjectStore, OpOptions } from './objectStore';
import { DEFAULT_PUT_PART_SIZE, MiB } from './partPlan';
import { PartReader } from './partReader';
import type { RetrySettings } from './retrySettings';
import { SdkCalls, netCodeIn } from './sdkCalls';
import { loadGcs } from './sdkLoad';
import { StorageError, describeTarget, type StorageFacts } from './storageError';

export interface GcsStoreOptions {
  /** `https://storage.googleapis.com` (default) or an emulator's `http://127.0.0.1:PORT`. */
  apiEndpoint?: string;
  /** Path of a service-account JSON key; absent: Application Default Credentials. */
  credentialsFile?: string;
  /** Objects up to this size are uploaded in one request (from a buffer, so it can be retried). Default 8 MiB. */
  singleUploadMiB?: number;
  concurrency?: Partial<StoreConcurrency>;
  retry?: Partial<RetrySettings>;
  onRetry?: (message: string) => void;
}

const DEFAULT_ENDPOINT = 'https://storage.googleapis.com';

/**
 * ObjectStore over @google-cloud/storage (`storageType: gcpnative`), loaded on first use. The SDK's own
 * retries are off (SdkCalls retries, limits and wraps every request). Copies are server-side rewrites (the SDK
 * loops over the rewrite token for big objects), as the Go tool's `CopierFrom(...).Run`
 * (internal/storage/gcp_native.go). The JSON API has no multi-object delete the SDK exposes: deletes go one
 * request per key under the delete limit, missing keys ignored.
 *
 * The SDK's metadata calls take no AbortSignal; they are raced against it, so a cancelled operation returns
 * at once (the one small request may still complete). Streams are destroyed on abort.
 */
export class GcsStore implements ObjectStore {
  readonly provider = 'gcpnative';
  readonly backendKey: string;
  private readonly calls: SdkCalls;
  private readonly singleUpload: number;
  private client?: Storage;
  private readonly endpoint: string;

  constructor(private readonly o: GcsStoreOptions) {
    this.endpoint = (o.apiEndpoint || DEFAULT_ENDPOINT).replace(/\/+$/, '');
    const u = new URL(this.endpoint);
    const endpoint = `${u.protocol}//${u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
    this.backendKey = ['gcpnative', endpoint].join('|');
    this.calls = new SdkCalls({ concurrency: o.concurrency, retry: o.retry, onRetry: o.onRetry, endpoint, facts: gcsFacts });
    this.singleUpload = (o.singleUploadMiB ?? DEFAULT_PUT_PART_SIZE / MiB) * MiB;
  }

  private storage(): Storage {
    if (this.client) return this.client;
    const { Storage: StorageClass } = loadGcs();
    const custom = this.endpoint !== DEFAULT_ENDPOINT;
    const opts: StorageOptions = { retryOptions: { autoRetry: false, maxRetries: 0 } };
    if (custom) {
      opts.apiEndpoint = this.endpoint;
      // an emulator on this machine takes no token (and there is no token server to ask); a private
      // endpoint of the real service does, as the Go tool's WithEndpoint + WithCredentials sends one
      opts.useAuthWithCustomEndpoint = !isLocalHost(new URL(this.endpoint).hostname);
    }
    if (this.o.credentialsFile) {
      opts.keyFilename = this.o.credentialsFile;
      // creating buckets needs the project: the key file names it (the Go tool reads project_id the same way)
      opts.projectId = projectIdOf(this.o.credentialsFile);
    } else if (custom && !opts.useAuthWithCustomEndpoint) {
      opts.projectId = process.env.GOOGLE_CLOUD_PROJECT || 'local-emulator';
    }
    this.client = new StorageClass(opts);
    return this.client;
  }

  private bucket(name: string): Bucket {
    checkBucketName(this.provider, name);
    return this.storage().bucket(name);
  }

  async bucketExists(bucket: string, o: OpOptions = {}): Promise<boolean> {
    const b = this.bucket(bucket);
    return this.calls.run('read', describeTarget('bucket exists', bucket), o.signal, async () => (await raced(b.exists(), o.signal))[0]);
  }

  async createBucket(bucket: string, o: OpOptions = {}): Promise<void> {
    const b = this.bucket(bucket);
    try {
      await this.calls.run('write', describeTarget('create bucket', bucket), o.signal, () => raced(b.create(), o.signal));
    } catch (e) {
      // 409: exists — ours (a retried create, or created before) when we can use it
      if (e instanceof StorageError && e.status === 409 && (await this.bucketExists(bucket, o).catch(() => false))) return;
      throw e;
    }
  }

  async *list(bucket: string, prefix: string, o: ListOptions): AsyncIterable<ListEntry> {
    const b = this.bucket(bucket);
    const target = describeTarget(o.recursive ? 'list' : 'list (delimiter /)', bucket, prefix);
    let pageToken: string | undefined;
    for (;;) {
      const [files, next, raw] = await this.calls.run('list', target, o.signal, () =>
        raced(b.getFiles({ prefix, delimiter: o.recursive ? undefined : '/', autoPaginate: false, maxResults: 1000, pageToken }), o.signal),
      );
      const prefixes = ((raw as { prefixes?: string[] } | undefined)?.prefixes ?? []).map((p): ListEntry => ({ type: 'prefix', prefix: p }));
      const entries: ListEntry[] = [...files.map((f): ListEntry => ({ type: 'object', ...fileInfo(f.name, f.metadata) })), ...prefixes];
      entries.sort((x, y) => compareKeys(x.type === 'object' ? x.key : x.prefix, y.type === 'object' ? y.key : y.prefix));
      yield* entries;
      pageToken = (next as { pageToken?: string } | null | undefined)?.pageToken;
      if (!pageToken) return;
    }
  }

  async stat(bucket: string, key: string, o: OpOptions = {}): Promise<ObjectInfo | undefined> {
    const f = this.bucket(bucket).file(key);
    try {
      const [m] = await this.calls.run('read', describeTarget('stat', bucket, key), o.signal, () => raced(f.getMetadata(), o.signal));
      return fileInfo(key, m);
    } catch (e) {
      if (e instanceof StorageError && e.status === 404) return undefined;
      throw e;
    }
  }

  async get(bucket: string, key: string, o: OpOptions & { offset?: number; length?: number } = {}): Promise<Readable> {
    const { signal } = o;
    const target = describeTarget('get', bucket, key);
    // the read stream starts its request only when read: ask for the object first, so a missing key fails
    // here, and pin the read to the generation seen (a concurrent overwrite cannot mix two objects' bytes)
    const [m] = await this.calls.run('read', target, signal, () => raced(this.bucket(bucket).file(key).getMetadata(), signal));
    const size = Number(m.size ?? 0);
    const offset = o.offset ?? 0;
    const end = o.length !== undefined ? Math.min(size, offset + o.length) : size;
    if (o.length === 0 || end <= offset) return Readable.from([]);
    const file = this.bucket(bucket).file(key, { generation: m.generation as number | string | undefined });
    const ranged = offset > 0 || end < size;
    // decompress: false — a backup copies the stored bytes (and sizes) exactly, even of gzip-encoded objects
    const raw = file.createReadStream(ranged ? { start: offset, end: end - 1, decompress: false } : { decompress: false });
    // a plain Readable for callers, with our error wording; the SDK's stream is destroyed with it
    const out = new Transform({ transform: (c, _e, cb) => cb(null, c) });
    pipeline(raw, out, (err) => {
      if (err) out.destroy(this.calls.wrap(err, target, signal));
    });
    if (signal) {
      const onAbort = () => out.destroy(new CancelledError(`${target}: cancelled`));
      signal.addEventListener('abort', onAbort, { once: true });
      out.once('close', () => signal.removeEventListener('abort', onAbort));
    }
    return out;
  }

  async put(bucket: string, key: string, body: Readable | Buffer, size: number, o: OpOptions = {}): Promise<ObjectInfo> {
    const file = this.bucket(bucket).file(key);
    const { signal } = o;
    const target = describeTarget('put', bucket, key);
    if (Buffer.isBuffer(body) && body.length !== size) {
      throw new Error(`${target}: the buffer has ${body.length} bytes, not the announced ${size}`);
    }
    if (size <= this.singleUpload) {
      let buf: Buffer;
      if (Buffer.isBuffer(body)) buf = body;
      else {
        const reader = new PartReader(body, size);
        try {
          buf = await reader.read(Buffer.allocUnsafe(size), size);
          await reader.finish();
        } catch (e) {
          reader.destroy();
          throw this.calls.wrap(e, target, signal);
        }
      }
      const md5 = createHash('md5').update(buf).digest();
      // md5Hash in the metadata: the service checks the bytes against it
      await this.calls.run('write', target, signal, () =>
        raced(file.save(buf, { resumable: false, validation: false, metadata: { md5Hash: md5.toString('base64') } }), signal),
      );
      return { key, size, etag: md5.toString('hex') };
    }
    return this.putResumable(file, target, body as Readable, size, signal);
  }

  /** A resumable upload fed from the stream; it is finalised only if exactly `size` bytes arrived. */
  private async putResumable(file: File, target: string, body: Readable, size: number, signal?: AbortSignal): Promise<ObjectInfo> {
    throwIfAborted(signal);
    const hash = createHash('md5');
    let seen = 0;
    const counted = new Transform({
      transform(c: Buffer, _e, cb) {
        seen += c.length;
        if (seen > size) return cb(new Error(`the source stream is longer than the announced ${size} bytes`));
        hash.update(c);
        cb(null, c);
      },
      flush(cb) {
        cb(seen === size ? null : new Error(`the source stream ended after ${seen} of ${size} bytes`));
      },
    });
    const ws = file.createWriteStream({ resumable: true, validation: 'md5', metadata: { contentType: 'application/octet-stream' } });
    const onAbort = () => counted.destroy(new CancelledError(`${target}: cancelled`));
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await new Promise<void>((resolve, reject) => pipeline(body, counted, ws, (err) => (err ? reject(err) : resolve())));
    } catch (e) {
      body.destroy();
      throw this.calls.wrap(e, target, signal);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    return { key: file.name, size, etag: hash.digest('hex') };
  }

  async copyObject(srcBucket: string, srcKey: string, dstBucket: string, dstKey: string, o: OpOptions = {}): Promise<void> {
    const src = this.bucket(srcBucket).file(srcKey);
    const dst = this.bucket(dstBucket).file(dstKey);
    await this.calls.run('copy', `copy ${srcBucket}/${srcKey} to ${dstBucket}/${dstKey}`, o.signal, () => raced(src.copy(dst), o.signal));
  }

  async deleteObjects(bucket: string, keys: readonly string[], o: OpOptions = {}): Promise<void> {
    const b = this.bucket(bucket);
    await Promise.all(
      keys.map((k) => this.calls.run('delete', describeTarget('delete', bucket, k), o.signal, () => raced(b.file(k).delete({ ignoreNotFound: true }), o.signal))),
    );
  }

  async close(): Promise<void> {
    this.calls.closed = true;
  }
}

/** Resolves or rejects as `p`, or rejects with CancelledError as soon as the signal fires. */
function raced<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) {
    p.catch(() => {});
    return Promise.reject(new CancelledError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      p.catch(() => {});
      reject(new CancelledError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => (signal.removeEventListener('abort', onAbort), resolve(v)),
      (e) => (signal.removeEventListener('abort', onAbort), reject(e)),
    );
  });
}

function isLocalHost(host: string): boolean {
  return host === 'localhost' || /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.startsWith('[');
}

function projectIdOf(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`gcpnative: cannot read the service-account key file ${file}: ${(e as Error).message}`, 'storage-config');
  }
  try {
    const id = (JSON.parse(text) as { project_id?: unknown }).project_id;
    return typeof id === 'string' && id ? id : undefined;
  } catch {
    throw new UserError(`gcpnative: the service-account key file ${file} is not JSON`, 'storage-config');
  }
}

function fileInfo(key: string, m: { size?: string | number; md5Hash?: string; etag?: string; updated?: string }): ObjectInfo {
  return {
    key,
    size: Number(m.size ?? 0),
    etag: m.md5Hash ? Buffer.from(m.md5Hash, 'base64').toString('hex') : m.etag,
    lastModified: m.updated ? new Date(m.updated) : undefined,
  };
}

/** ApiError: `code` is the HTTP status, `errors[0].reason` the service's reason; gaxios network errors carry a Node code. */
export function gcsFacts(e: unknown): StorageFacts {
  const err = e as { code?: unknown; message?: unknown; errors?: Array<{ reason?: unknown }>; response?: { status?: unknown } };
  const message = typeof err?.message === 'string' ? err.message.split('\n')[0]!.trim() : String(e);
  const status = typeof err?.code === 'number' ? err.code : typeof err?.response?.status === 'number' ? err.response.status : undefined;
  const reason = err?.errors?.[0]?.reason;
  let code = typeof reason === 'string' && reason ? reason : typeof err?.code === 'string' ? err.code : undefined;
  if (!code) code = status !== undefined ? `HTTP${status}` : (netCodeIn(message) ?? 'Error');
  return { code, status, message };
}

/**
 * The JSON API endpoint for a config side: the SDK's default for the public service (the Go tool's
 * isStandardGCSEndpoint: an empty address or a *.googleapis.com storage host), else `scheme://address:port`
 * (an emulator or a private endpoint).
 */
export function gcsApiEndpoint(address: string, port: number, useSSL: boolean): string | undefined {
  const host = address.toLowerCase();
  if (!host || host === 'storage.googleapis.com' || host.endsWith('.storage.googleapis.com') || host === 'www.googleapis.com' || host === 'googleapis.com') return undefined;
  const scheme = useSSL ? 'https' : 'http';
  const h = host.includes(':') ? `[${host}]` : host;
  return `${scheme}://${h}${port && port !== (useSSL ? 443 : 80) ? `:${port}` : ''}`;
}
