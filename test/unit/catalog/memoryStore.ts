import { Readable } from 'node:stream';
import type { ListEntry, ListOptions, ObjectInfo, ObjectStore, OpOptions } from '../../../src/core/storage/objectStore';

/**
 * An in-memory ObjectStore with S3 listing semantics (keys in byte order, `/` delimiter), for catalog tests
 * that need to count requests or run without a server. It records every call.
 */
export class MemoryStore implements ObjectStore {
  readonly provider = 'memory';
  readonly backendKey = 'memory';
  readonly buckets = new Map<string, Map<string, Buffer>>();
  readonly calls: Array<{ op: string; bucket: string; arg: string | string[] }> = [];
  /** `bucket/key` → write time, as S3's Last-Modified; tests may set it */
  readonly modified = new Map<string, Date>();
  /** the most list/get/stat requests that were in progress at once */
  maxInFlight = 0;
  private inFlight = 0;

  /** Holds a request open for one macrotask turn so concurrent callers overlap, as on a network. */
  private async request(): Promise<void> {
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    await new Promise((r) => setImmediate(r));
    this.inFlight--;
  }

  constructor(buckets: string[] = []) {
    for (const b of buckets) this.buckets.set(b, new Map());
  }

  private bucket(b: string): Map<string, Buffer> {
    const m = this.buckets.get(b);
    if (!m) throw new Error(`NoSuchBucket: ${b}`);
    return m;
  }

  async bucketExists(bucket: string): Promise<boolean> {
    return this.buckets.has(bucket);
  }

  async createBucket(bucket: string): Promise<void> {
    if (!this.buckets.has(bucket)) this.buckets.set(bucket, new Map());
  }

  async *list(bucket: string, prefix: string, o: ListOptions): AsyncIterable<ListEntry> {
    this.calls.push({ op: o.recursive ? 'list-recursive' : 'list', bucket, arg: prefix });
    await this.request();
    const keys = [...this.bucket(bucket).keys()].filter((k) => k.startsWith(prefix))
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    let lastPrefix: string | undefined;
    for (const key of keys) {
      const slash = o.recursive ? -1 : key.indexOf('/', prefix.length);
      if (slash >= 0) {
        const p = key.slice(0, slash + 1);
        if (p !== lastPrefix) yield { type: 'prefix', prefix: (lastPrefix = p) };
      } else {
        yield { type: 'object', key, size: this.bucket(bucket).get(key)!.length };
      }
    }
  }

  async stat(bucket: string, key: string): Promise<ObjectInfo | undefined> {
    this.calls.push({ op: 'stat', bucket, arg: key });
    await this.request();
    const b = this.bucket(bucket).get(key);
    return b ? { key, size: b.length, lastModified: this.modified.get(`${bucket}/${key}`) } : undefined;
  }

  async get(bucket: string, key: string): Promise<Readable> {
    this.calls.push({ op: 'get', bucket, arg: key });
    await this.request();
    const b = this.bucket(bucket).get(key);
    if (!b) throw Object.assign(new Error(`NoSuchKey: ${key}`), { storageCode: 'NoSuchKey' });
    return Readable.from([b]);
  }

  async put(bucket: string, key: string, body: Readable | Buffer, size: number, _o?: OpOptions): Promise<ObjectInfo> {
    this.calls.push({ op: 'put', bucket, arg: key });
    let buf: Buffer;
    if (Buffer.isBuffer(body)) buf = body;
    else {
      const chunks: Buffer[] = [];
      for await (const c of body) chunks.push(c as Buffer);
      buf = Buffer.concat(chunks);
    }
    if (buf.length !== size) throw new Error(`size mismatch for ${key}`);
    this.bucket(bucket).set(key, buf);
    this.modified.set(`${bucket}/${key}`, new Date());
    return { key, size };
  }

  async copyObject(srcBucket: string, srcKey: string, dstBucket: string, dstKey: string): Promise<void> {
    const b = this.bucket(srcBucket).get(srcKey);
    if (!b) throw new Error(`NoSuchKey: ${srcKey}`);
    this.bucket(dstBucket).set(dstKey, b);
  }

  async deleteObjects(bucket: string, keys: readonly string[]): Promise<void> {
    this.calls.push({ op: 'delete', bucket, arg: [...keys] });
    for (const k of keys) this.bucket(bucket).delete(k);
  }

  async close(): Promise<void> {}

  keys(bucket: string): string[] {
    return [...this.bucket(bucket).keys()].sort();
  }
}
