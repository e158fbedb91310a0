/**
 * The storage cases every ObjectStore must pass, run by each backend's test file (s3rver, Ceph RGW, local).
 * A fixture gives the store under test, two buckets and, for S3 servers, a way to build more stores against
 * the same server (other credentials, a fault proxy in front).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { isAbortError, UserError } from '../../../src/core/errors';
import { copyBetween, StorageError, type ListEntry, type ObjectStore } from '../../../src/core/storage';
import { MinioStore, type MinioStoreOptions } from '../../../src/core/storage/minioStore';
import { startFaultProxy } from './faultProxy';

export interface S3Access {
  host: string;
  port: number;
  accessKey: string;
  secretKey: string;
}

export interface StoreFixture {
  store: ObjectStore;
  bucket: string;
  bucket2: string;
  /** Present for S3 servers. */
  s3?: S3Access;
}

export function s3Store(a: S3Access, o: Partial<MinioStoreOptions> = {}): MinioStore {
  return new MinioStore({
    provider: 'minio',
    endPoint: a.host,
    port: a.port,
    useSSL: false,
    accessKey: a.accessKey,
    secretKey: a.secretKey,
    ...o,
  });
}

export async function readAll(s: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function collect(it: AsyncIterable<ListEntry>): Promise<string[]> {
  const out: string[] = [];
  for await (const e of it) out.push(e.type === 'object' ? e.key : e.prefix);
  return out;
}

/** A stream of `size` pseudo-random bytes in 1 MiB chunks; `digest()` gives their MD5 once consumed. */
export function randomStream(size: number): { stream: Readable; digest: () => string } {
  const h = createHash('md5');
  let left = size;
  const stream = new Readable({
    read() {
      if (left === 0) return void this.push(null);
      const n = Math.min(left, 1024 * 1024);
      const c = randomBytes(n);
      h.update(c);
      left -= n;
      this.push(c);
    },
  });
  return { stream, digest: () => h.digest('hex') };
}

export async function md5Of(s: Readable): Promise<string> {
  const h = createHash('md5');
  for await (const c of s) h.update(c as Buffer);
  return h.digest('hex');
}

async function putMany(store: ObjectStore, bucket: string, keys: string[]): Promise<void> {
  const body = Buffer.from('x');
  for (let i = 0; i < keys.length; i += 64) {
    await Promise.all(keys.slice(i, i + 64).map((k) => store.put(bucket, k, body, 1)));
  }
}

let seq = 0;
const unique = (name: string) => `t${process.pid}-${Date.now().toString(36)}-${seq++}/${name}/`;

/** `s3`: the fixture is an S3 server, so the fault-injection and credential cases apply too. */
export function storeCases(get: () => StoreFixture, kind: { s3: boolean }): void {
  test('bucket exists / create, and bad bucket names fail with advice', async () => {
    const { store, bucket } = get();
    assert.equal(await store.bucketExists(bucket), true);
    if (store.provider !== 'local') {
      const fresh = `fresh-${Date.now().toString(36)}`;
      assert.equal(await store.bucketExists(fresh), false);
      await store.createBucket(fresh);
      assert.equal(await store.bucketExists(fresh), true);
      await store.createBucket(fresh); // idempotent for a bucket we own
    }
    await assert.rejects(store.bucketExists('bucket_A'), (e: unknown) => {
      assert.ok(e instanceof UserError);
      // each provider's own rule (storage/bucketName.ts): GCS allows "_", Azure containers only single hyphens
      const why = {
        azure: /invalid bucket name: "bucket_A" is not a valid Azure container name/,
        gcpnative: /invalid bucket name: "bucket_A" contains "A": .*; the Milvus docs' bucket_A is an illustration — use e\.g\. bucket_a/,
      }[store.provider] ?? /invalid bucket name: "bucket_A" contains "_", "A": .*; the Milvus docs' bucket_A is an illustration — use e\.g\. bucket-a/;
      assert.match(e.message, why);
      return true;
    });
  });

  test('put, stat, get and range get; missing keys', async () => {
    const { store, bucket } = get();
    const p = unique('rw');
    const data = randomBytes(100_000);
    const info = await store.put(bucket, `${p}obj`, data, data.length);
    assert.equal(info.size, data.length);
    if (store.provider !== 'local') assert.equal(info.etag, createHash('md5').update(data).digest('hex'));
    const st = await store.stat(bucket, `${p}obj`);
    assert.equal(st?.size, data.length);
    assert.deepEqual(await readAll(await store.get(bucket, `${p}obj`)), data);
    assert.deepEqual(await readAll(await store.get(bucket, `${p}obj`, { offset: 1000, length: 500 })), data.subarray(1000, 1500));
    assert.deepEqual(await readAll(await store.get(bucket, `${p}obj`, { offset: 99_990 })), data.subarray(99_990));
    // from a stream of known length
    const s = randomStream(300_000);
    await store.put(bucket, `${p}streamed`, s.stream, 300_000);
    assert.equal(await md5Of(await store.get(bucket, `${p}streamed`)), s.digest());
    // an empty object
    await store.put(bucket, `${p}empty`, Readable.from([]), 0);
    assert.equal((await store.stat(bucket, `${p}empty`))?.size, 0);
    assert.equal((await readAll(await store.get(bucket, `${p}empty`))).length, 0);
    assert.equal(await store.stat(bucket, `${p}missing`), undefined);
    await assert.rejects(store.get(bucket, `${p}missing`), (e: unknown) => {
      assert.ok(e instanceof StorageError, String(e));
      assert.match(e.message, new RegExp(`get ${bucket}/${p}missing`));
      assert.equal(e.retryable, false);
      return true;
    });
  });

  test('a conditional put (ifAbsent, S3 If-None-Match: *) stores once, then refuses with PreconditionFailed; 20 racing puts: one wins', async () => {
    const { store, bucket } = get();
    const p = unique('ifabsent');
    await store.put(bucket, `${p}claim`, Buffer.from('first'), 5, { ifAbsent: true });
    await assert.rejects(store.put(bucket, `${p}claim`, Buffer.from('other'), 5, { ifAbsent: true }), (e: unknown) => {
      assert.ok(e instanceof StorageError, String(e));
      assert.equal(e.storageCode, 'PreconditionFailed');
      return true;
    });
    assert.equal((await readAll(await store.get(bucket, `${p}claim`))).toString(), 'first');
    const racers = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => store.put(bucket, `${p}race`, Buffer.from(`r${String(i).padStart(2, '0')}`), 3, { ifAbsent: true })),
    );
    const won = racers.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
    assert.equal(won.length, 1, `exactly one racer wins: ${racers.map((r) => r.status).join(' ')}`);
    assert.equal((await readAll(await store.get(bucket, `${p}race`))).toString(), `r${String(won[0]).padStart(2, '0')}`);
    // an ordinary put still overwrites
    await store.put(bucket, `${p}claim`, Buffer.from('again'), 5);
    assert.equal((await readAll(await store.get(bucket, `${p}claim`))).toString(), 'again');
  });

  test('a stream shorter than announced fails and leaves no object', async () => {
    const { store, bucket } = get();
    const p = unique('short');
    await assert.rejects(store.put(bucket, `${p}x`, Readable.from([Buffer.alloc(100)]), 200), /100 of 200 bytes|100 bytes, not the announced 200/);
    assert.equal(await store.stat(bucket, `${p}x`), undefined);
    // past one upload part (8 MiB): multipart, blocks or a resumable session, none of which may be completed
    const big = randomStream(9 * 1024 * 1024);
    await assert.rejects(store.put(bucket, `${p}big`, big.stream, 10 * 1024 * 1024), /9437184 of 10485760 bytes|9437184 bytes, not the announced 10485760/);
    assert.equal(await store.stat(bucket, `${p}big`), undefined);
  });

  test('S3 key order with "-" and "." next to "directories", recursive and by delimiter, deep prefixes', async () => {
    const { store, bucket } = get();
    const p = unique('order');
    // a filesystem cannot hold a file and a directory of one name (a and a/…): the local store gets the rest
    const names = ['a', 'a-c', 'a.d', 'a/b', 'a/b/c', 'a0', 'deep/1/2/3/x', 'deep2/y/z'].filter(
      (k) => store.provider !== 'local' || (k !== 'a' && k !== 'a/b'),
    );
    const keys = names.map((k) => p + k);
    await putMany(store, bucket, [...keys].reverse());
    assert.deepEqual(await collect(store.list(bucket, p, { recursive: true })), keys);
    assert.deepEqual(
      await collect(store.list(bucket, p, { recursive: false })),
      ['a', 'a-c', 'a.d', 'a/', 'a0', 'deep/', 'deep2/'].filter((k) => store.provider !== 'local' || k !== 'a').map((k) => p + k),
    );
    // a prefix that ends mid-name
    assert.deepEqual(await collect(store.list(bucket, `${p}deep`, { recursive: false })), [`${p}deep/`, `${p}deep2/`]);
    assert.deepEqual(await collect(store.list(bucket, `${p}deep/1/`, { recursive: false })), [`${p}deep/1/2/`]);
  });

  test('keys with spaces, "+", "%" and non-ASCII round-trip through put, list, copy and delete', async () => {
    const { store, bucket } = get();
    const p = unique('chars');
    // byte order: " " < "%" < "+" < "z" < "ü" (0xC3 0xBC)
    const keys = ['a b', '100%', 'x+y', 'z', 'ü/ö'].map((k) => p + k);
    await putMany(store, bucket, keys);
    const sorted = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    assert.deepEqual(await collect(store.list(bucket, p, { recursive: true })), sorted);
    assert.deepEqual(await collect(store.list(bucket, p, { recursive: false })), sorted.map((k) => (k.endsWith('ü/ö') ? `${p}ü/` : k)));
    await store.copyObject(bucket, `${p}x+y`, bucket, `${p}copy of 100%`);
    assert.equal((await store.stat(bucket, `${p}copy of 100%`))?.size, 1);
    await store.deleteObjects(bucket, [...keys, `${p}copy of 100%`]);
    assert.deepEqual(await collect(store.list(bucket, p, { recursive: true })), []);
  });

  test('listing pages past 1000 entries in both modes, and batch delete of many keys', async () => {
    const { store, bucket } = get();
    const p = unique('many');
    const keys = Array.from({ length: 1050 }, (_, i) => `${p}p${String(i).padStart(4, '0')}/f`);
    await putMany(store, bucket, keys);
    const rec = await collect(store.list(bucket, p, { recursive: true }));
    assert.equal(rec.length, 1050);
    assert.deepEqual(rec, keys);
    const dirs = await collect(store.list(bucket, p, { recursive: false }));
    assert.deepEqual(dirs, keys.map((k) => k.slice(0, -1)));
    await store.deleteObjects(bucket, [...keys, `${p}never-existed`]);
    assert.deepEqual(await collect(store.list(bucket, p, { recursive: true })), []);
  });

  test('server-side copy in and across buckets; streaming copy between stores', async () => {
    const { store, bucket, bucket2 } = get();
    const p = unique('copy');
    const data = randomBytes(2 * 1024 * 1024 + 7);
    await store.put(bucket, `${p}src`, data, data.length);
    await store.copyObject(bucket, `${p}src`, bucket, `${p}dst`);
    await store.copyObject(bucket, `${p}src`, bucket2, `${p}dst2`, { size: data.length });
    assert.deepEqual(await readAll(await store.get(bucket, `${p}dst`)), data);
    assert.deepEqual(await readAll(await store.get(bucket2, `${p}dst2`)), data);
    let bytes = 0;
    const info = await copyBetween(store, bucket, `${p}src`, store, bucket2, `${p}streamed`, {
      size: data.length,
      onBytes: (d) => (bytes += d),
    });
    assert.equal(bytes, data.length);
    assert.equal(info.size, data.length);
    assert.deepEqual(await readAll(await store.get(bucket2, `${p}streamed`)), data);
  });

  test('abort stops a streaming copy and a listing promptly', async () => {
    const { store, bucket, bucket2 } = get();
    const p = unique('abort');
    const size = 20 * 1024 * 1024; // over one 8 MiB part: the copy is a multipart upload
    await store.put(bucket, `${p}big`, randomStream(size).stream, size);
    const ac = new AbortController();
    let seen = 0;
    const started = Date.now();
    const copying = copyBetween(store, bucket, `${p}big`, store, bucket2, `${p}big-copy`, {
      size,
      signal: ac.signal,
      onBytes: (d) => {
        seen += d;
        if (seen > 1024 * 1024 && !ac.signal.aborted) ac.abort();
      },
    });
    await assert.rejects(copying, (e: unknown) => isAbortError(e));
    assert.ok(Date.now() - started < 10_000);
    assert.equal(await store.stat(bucket2, `${p}big-copy`), undefined);
    const ac2 = new AbortController();
    ac2.abort();
    await assert.rejects(collect(store.list(bucket, p, { recursive: true, signal: ac2.signal })), (e: unknown) => isAbortError(e));
  });

  if (!kind.s3) return;

  test('retries injected 5xx answers, then succeeds', async () => {
    const { bucket } = get();
    const s3 = get().s3!;
    let failures = 0;
    // first a dropped connection, then two 503 SlowDown answers
    const proxy = await startFaultProxy(s3.port, () =>
      failures++ === 0 ? { reset: true } : failures <= 3 ? { fail: { status: 503, code: 'SlowDown' } } : undefined,
    );
    const retries: string[] = [];
    const store = s3Store({ ...s3, port: proxy.port }, { retry: { initialDelayMs: 10, maxDelayMs: 40 }, onRetry: (m) => retries.push(m) });
    try {
      const p = unique('retry');
      await store.put(bucket, `${p}x`, Buffer.from('hello'), 5);
      assert.equal(retries.length, 3);
      assert.match(retries[0]!, /retrying put .*x \(attempt 2\/10\).*(ECONNRESET|socket hang up)/);
      assert.match(retries[1]!, /retrying put .*x \(attempt 3\/10\).*HTTP 503 SlowDown/);
      assert.equal((await store.stat(bucket, `${p}x`))?.size, 5);
      // persistent 500s: all 10 attempts, then a clear error
      failures = -1000;
      await assert.rejects(store.stat(bucket, `${p}x`), (e: unknown) => {
        assert.ok(e instanceof StorageError);
        assert.match(e.message, /stat .*x failed/);
        return true;
      });
      assert.equal(retries.length, 3 + 9);
    } finally {
      await store.close();
      await proxy.close();
    }
  });

  test('the per-kind concurrency limit bounds the requests in flight', async () => {
    const { bucket } = get();
    const s3 = get().s3!;
    const proxy = await startFaultProxy(s3.port, (req) => (req.method === 'HEAD' ? { delayMs: 50 } : undefined));
    const store = s3Store({ ...s3, port: proxy.port }, { region: 'us-east-1', concurrency: { read: 3 } });
    try {
      const p = unique('limit');
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.stat(bucket, `${p}${i}`)));
      assert.equal(proxy.seen.filter((x) => x.startsWith('GET') || x.startsWith('HEAD')).length, 20);
      assert.equal(proxy.maxInFlight, 3);
    } finally {
      await store.close();
      await proxy.close();
    }
  });

  test('bad credentials fail at once, without retries, and without printing the secret', async () => {
    const { bucket } = get();
    const s3 = get().s3!;
    const retries: string[] = [];
    const secret = 'very-secret-value-123';
    const store = s3Store({ ...s3, accessKey: 'NOSUCHKEY', secretKey: secret }, { onRetry: (m) => retries.push(m) });
    try {
      await assert.rejects(collect(store.list(bucket, '', { recursive: true })), (e: unknown) => {
        assert.ok(e instanceof StorageError, String(e));
        assert.equal(e.storageCode, 'InvalidAccessKeyId');
        assert.equal(e.retryable, false);
        assert.match(e.message, new RegExp(`list ${bucket}/`));
        assert.doesNotMatch(e.message, new RegExp(secret));
        return true;
      });
      assert.deepEqual(retries, []);
    } finally {
      await store.close();
    }
  });
}
