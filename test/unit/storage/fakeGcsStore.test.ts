/**
 * The shared storage cases against fake-gcs-server (the GCS emulator, built from Go source on first use), plus
 * GCS's own: copies are server-side rewrites, big uploads are resumable, 5xx answers are retried and 4xx not.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { StorageError } from '../../../src/core/storage';
import { GcsStore } from '../../../src/core/storage/gcsStore';
import { startFakeGcs, type FakeGcsHandle } from '../../servers/fakeGcs';
import { startFaultProxy } from './faultProxy';
import { md5Of, randomStream, readAll, storeCases, type StoreFixture } from './storeCases';

const MiB = 1024 * 1024;

describe('GcsStore on fake-gcs-server', () => {
  let gcs: FakeGcsHandle;
  let store: GcsStore;
  let fx: StoreFixture;
  before(
    async () => {
      gcs = await startFakeGcs({ buckets: ['bucket-a', 'bucket-b'] });
      store = new GcsStore({ apiEndpoint: gcs.url });
      fx = { store, bucket: 'bucket-a', bucket2: 'bucket-b' };
    },
    { timeout: 15 * 60_000 },
  );
  after(async () => {
    await store?.close();
    await gcs?.stop();
  });

  storeCases(() => fx, { s3: false });

  test('copies are one server-side rewrite, without the bytes passing through us', async () => {
    const seen: string[] = [];
    const proxy = await startFaultProxy(gcs.port, (req) => (seen.push(`${req.method} ${req.url}`), undefined));
    const via = new GcsStore({ apiEndpoint: `http://127.0.0.1:${proxy.port}` });
    try {
      const size = 12 * MiB + 5;
      const src = randomStream(size);
      await store.put('bucket-a', 'gcs/rewrite-src', src.stream, size);
      const digest = src.digest();
      await via.copyObject('bucket-a', 'gcs/rewrite-src', 'bucket-b', 'gcs/rewrite-dst');
      assert.deepEqual(seen.map((s) => s.split('?')[0]), ['POST /storage/v1/b/bucket-a/o/gcs%2Frewrite-src/rewriteTo/b/bucket-b/o/gcs%2Frewrite-dst']);
      assert.equal(await md5Of(await store.get('bucket-b', 'gcs/rewrite-dst')), digest);
      assert.equal((await store.stat('bucket-b', 'gcs/rewrite-dst'))?.etag, digest);
    } finally {
      await via.close();
      await proxy.close();
    }
  });

  test('bytes damaged on the way in a resumable upload fail the client MD5 check (the SDK deletes the object)', async () => {
    // only the data requests of the session (PUT): the first byte of the object flipped
    const proxy = await startFaultProxy(gcs.port, (req) => (req.method === 'PUT' && req.url?.includes('/upload/') ? { corrupt: true } : undefined));
    const retries: string[] = [];
    const via = new GcsStore({ apiEndpoint: `http://127.0.0.1:${proxy.port}`, onRetry: (m) => retries.push(m) });
    try {
      const size = 10 * MiB;
      await assert.rejects(via.put('bucket-a', 'gcs/corrupt-big', randomStream(size).stream, size), (e: unknown) => {
        assert.ok(e instanceof StorageError, String(e));
        assert.match(e.message, /put bucket-a\/gcs\/corrupt-big failed: FILE_NO_UPLOAD: The uploaded data did not match the data from the server/);
        return true;
      });
      assert.deepEqual(retries, []);
      assert.equal(await store.stat('bucket-a', 'gcs/corrupt-big'), undefined);
    } finally {
      await via.close();
      await proxy.close();
    }
  });

  test('a gzip-encoded object is read as stored: the bytes and the size a listing reports', async () => {
    const { Storage } = await import('@google-cloud/storage');
    const raw = new Storage({ apiEndpoint: gcs.url, projectId: 'test' });
    const stored = gzipSync(Buffer.from('x'.repeat(5000)));
    await raw.bucket('bucket-a').file('gcs/gz').save(stored, { resumable: false, gzip: false, metadata: { contentEncoding: 'gzip', contentType: 'text/plain' } });
    assert.equal((await store.stat('bucket-a', 'gcs/gz'))?.size, stored.length);
    assert.deepEqual(await readAll(await store.get('bucket-a', 'gcs/gz')), stored);
  });

  test('a port nothing listens on fails at once naming the address', async () => {
    const closed = await startFaultProxy(gcs.port, () => undefined);
    const port = closed.port;
    await closed.close();
    const none = new GcsStore({ apiEndpoint: `http://127.0.0.1:${port}` });
    await assert.rejects(none.stat('bucket-a', 'x'), (e: unknown) => {
      assert.ok(e instanceof StorageError, String(e));
      assert.match(e.message, new RegExp(`cannot connect to the storage server at http://127.0.0.1:${port}: ECONNREFUSED`));
      assert.equal(e.retryable, false);
      return true;
    });
  });

  test('5xx answers and dropped connections are retried, 4xx answers are not', async () => {
    let n = 0;
    const proxy = await startFaultProxy(gcs.port, () => (n++ === 0 ? { reset: true } : n <= 3 ? { fail: { status: 503, code: 'backendError' } } : undefined));
    const retries: string[] = [];
    const via = new GcsStore({ apiEndpoint: `http://127.0.0.1:${proxy.port}`, retry: { initialDelayMs: 10, maxDelayMs: 40 }, onRetry: (m) => retries.push(m) });
    try {
      const data = randomBytes(1000);
      await via.put('bucket-a', 'gcs/retry', data, data.length);
      assert.equal(retries.length, 3, retries.join('\n'));
      assert.match(retries[0]!, /retrying put bucket-a\/gcs\/retry \(attempt 2\/10\).*(ECONNRESET|socket hang up)/);
      assert.match(retries[1]!, /HTTP 503/);
      assert.deepEqual(await readAll(await store.get('bucket-a', 'gcs/retry')), data);
      n = -1000;
      retries.length = 0;
      await assert.rejects(via.stat('bucket-a', 'gcs/retry'), (e: unknown) => e instanceof StorageError && e.status === 503 && e.retryable);
      assert.equal(retries.length, 9, 'all 10 attempts');
      // a 403 is final
      n = -1000;
      retries.length = 0;
      const deny = await startFaultProxy(gcs.port, () => ({ fail: { status: 403, code: 'forbidden' } }));
      const denied = new GcsStore({ apiEndpoint: `http://127.0.0.1:${deny.port}`, onRetry: (m) => retries.push(m) });
      await assert.rejects(denied.stat('bucket-a', 'gcs/retry'), (e: unknown) => e instanceof StorageError && e.status === 403 && !e.retryable);
      assert.deepEqual(retries, []);
      await deny.close();
    } finally {
      await via.close();
      await proxy.close();
    }
  });
});
