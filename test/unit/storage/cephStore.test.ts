/**
 * The shared storage cases against Ceph RGW (a production S3 server), plus what only a real server does:
 * multipart uploads, server-side multipart copy, signature and Content-MD5 checks, and the memory bound of a
 * 200 MiB streamed copy. Starts one RGW for the whole file (~20 s; installs the Debian packages when missing).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { isAbortError } from '../../../src/core/errors';
import { StorageError } from '../../../src/core/storage';
import type { MinioStore } from '../../../src/core/storage/minioStore';
import { startCeph, type CephHandle } from '../../servers/ceph';
import { startFaultProxy } from './faultProxy';
import { collect, md5Of, randomStream, s3Store, storeCases, type StoreFixture } from './storeCases';

const MiB = 1024 * 1024;

/** Runs copyMemoryChild.ts: copyBetween bucket-a/srcKey → bucket-b/dstKey in a fresh process, RSS sampled. */
function copyInChild(h: CephHandle, srcKey: string, dstKey: string, size: number): Promise<{ baseMiB: number; peakGrowthMiB: number; bytes: number }> {
  const args = ['--import', 'tsx', join(__dirname, 'copyMemoryChild.ts'), h.host, String(h.port), h.accessKey, h.secretKey, 'bucket-a', srcKey, 'bucket-b', dstKey, String(size)];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { timeout: 300_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${err.message}\n${stderr}`));
      resolve(JSON.parse(stdout.trim().split('\n').at(-1)!));
    });
  });
}

describe('MinioStore on Ceph RGW', () => {
  let ceph: CephHandle;
  let store: MinioStore;
  let fx: StoreFixture;
  before(
    async () => {
      ceph = await startCeph({ buckets: ['bucket-a', 'bucket-b'] });
      store = s3Store(ceph);
      fx = { store, bucket: 'bucket-a', bucket2: 'bucket-b', s3: ceph };
    },
    { timeout: 20 * 60_000 },
  );
  after(async () => {
    await store?.close();
    await ceph?.stop();
  });

  storeCases(() => fx, { s3: true });

  test('server-side multipart copy (UploadPartCopy) above the threshold', async () => {
    const small = s3Store(ceph, { multipartCopyThresholdMiB: 20 });
    const seen: string[] = [];
    const proxy = await startFaultProxy(ceph.port, (req) => {
      seen.push(`${req.method} ${req.url} ${req.headers['x-amz-copy-source-range'] ?? ''}`);
      return undefined;
    });
    const viaProxy = s3Store({ ...ceph, port: proxy.port }, { multipartCopyThresholdMiB: 20 });
    try {
      const size = 25 * MiB + 3;
      const src = randomStream(size);
      await small.put('bucket-a', 'rgw/copy-src', src.stream, size);
      await viaProxy.copyObject('bucket-a', 'rgw/copy-src', 'bucket-b', 'rgw/copy-dst');
      const st = await small.stat('bucket-b', 'rgw/copy-dst');
      assert.equal(st?.size, size);
      // part size max(10 MiB, size/10000) → 3 parts
      assert.match(st?.etag ?? '', /-3$/);
      const ranges = seen.filter((s) => s.includes('partNumber=')).map((s) => s.split(' ').at(-1));
      assert.deepEqual(ranges.sort(), [`bytes=0-${10 * MiB - 1}`, `bytes=${10 * MiB}-${20 * MiB - 1}`, `bytes=${20 * MiB}-${size - 1}`].sort());
      assert.equal(await md5Of(await small.get('bucket-b', 'rgw/copy-dst')), src.digest());
      // below the threshold: one CopyObject, no multipart
      seen.length = 0;
      await viaProxy.copyObject('bucket-a', 'rgw/copy-src', 'bucket-b', 'rgw/copy-dst2', { size: 1 });
      assert.equal(seen.filter((s) => s.includes('uploads') || s.includes('partNumber=')).length, 0);
      // a failing part aborts the upload and the error names the copy
      seen.length = 0;
      await assert.rejects(viaProxy.copyObject('bucket-a', 'rgw/no-such-source', 'bucket-b', 'rgw/copy-dst3', { size }), (e: unknown) => {
        assert.ok(e instanceof StorageError, String(e));
        assert.match(e.message, /copy bucket-a\/rgw\/no-such-source to bucket-b\/rgw\/copy-dst3/);
        return true;
      });
      assert.ok(seen.some((s) => s.startsWith('DELETE') && s.includes('uploadId=')), 'the upload was aborted');
    } finally {
      await small.close();
      await viaProxy.close();
      await proxy.close();
    }
  });

  test('a wrong secret key fails with SignatureDoesNotMatch, not retried', async () => {
    const retries: string[] = [];
    const bad = s3Store({ ...ceph, secretKey: 'wrong-secret' }, { onRetry: (m) => retries.push(m) });
    try {
      await assert.rejects(bad.stat('bucket-a', 'rgw/anything'), (e: unknown) => {
        assert.ok(e instanceof StorageError, String(e));
        // a HEAD has no body: RGW's 403 is all minio-js sees
        assert.match(e.storageCode, /SignatureDoesNotMatch|AccessDenied/);
        return true;
      });
      await assert.rejects(collect(bad.list('bucket-a', 'rgw/', { recursive: true })), (e: unknown) => {
        assert.ok(e instanceof StorageError);
        assert.equal(e.storageCode, 'SignatureDoesNotMatch');
        assert.doesNotMatch(e.message, /wrong-secret/);
        return true;
      });
      assert.deepEqual(retries, []);
    } finally {
      await bad.close();
    }
  });

  test('a part whose bytes do not match its Content-MD5 is rejected, not retried, and the upload fails', async () => {
    const proxy = await startFaultProxy(ceph.port, (req) => (req.method === 'PUT' && req.url?.includes('partNumber=2') ? { corrupt: true } : undefined));
    const retries: string[] = [];
    const via = s3Store({ ...ceph, port: proxy.port }, { onRetry: (m) => retries.push(m) });
    try {
      const size = 20 * MiB;
      await assert.rejects(via.put('bucket-a', 'rgw/corrupt', randomStream(size).stream, size), (e: unknown) => {
        assert.ok(e instanceof StorageError, String(e));
        assert.match(e.storageCode, /BadDigest|XAmzContentSHA256Mismatch/);
        assert.match(e.message, /put \(multipart\) bucket-a\/rgw\/corrupt/);
        return true;
      });
      assert.deepEqual(retries, []);
      assert.equal(await store.stat('bucket-a', 'rgw/corrupt'), undefined);
    } finally {
      await via.close();
      await proxy.close();
    }
  });

  test('abort during a multipart put stops it promptly and leaves no object', async () => {
    const ac = new AbortController();
    const size = 100 * MiB;
    const src = randomStream(size);
    let sent = 0;
    src.stream.on('data', (c: Buffer) => {
      sent += c.length;
      if (sent > 20 * MiB) ac.abort();
    });
    const t0 = Date.now();
    await assert.rejects(store.put('bucket-a', 'rgw/aborted', src.stream, size, { signal: ac.signal }), (e: unknown) => isAbortError(e));
    assert.ok(Date.now() - t0 < 20_000);
    assert.equal(await store.stat('bucket-a', 'rgw/aborted'), undefined);
  });

  // one 200 MiB object serves two cases: the multipart upload (over minio-js's 64 MiB) and the streamed copy
  let big200Digest = '';
  test('multipart put of a 200 MiB stream: ETag <md5>-N from stat', async () => {
    const size = 200 * MiB;
    const src = randomStream(size);
    const info = await store.put('bucket-a', 'rgw/big200', src.stream, size);
    big200Digest = src.digest();
    assert.equal(info.size, size);
    // 8 MiB parts → 25 parts; RGW's Complete answer has an empty ETag, so this came from a stat
    assert.match(info.etag ?? '', /^[0-9a-f]{32}-25$/);
    assert.equal((await store.stat('bucket-a', 'rgw/big200'))?.size, size);
    // the content is checked once, on the copy the next case makes from it
  });

  test('a 200 MiB streamed copy (RGW → RGW via copyBetween) grows RSS by less than 64 MiB', async (t) => {
    assert.ok(big200Digest, 'the multipart put case uploads the source');
    const size = 200 * MiB;
    try {
      // measured in a fresh process: this one's RSS already holds the upload's high-water mark
      const r = await copyInChild(ceph, 'rgw/big200', 'rgw/big200-copy', size);
      t.diagnostic(`rss growth during the 200 MiB copy: ${r.peakGrowthMiB.toFixed(1)} MiB (baseline ${r.baseMiB.toFixed(0)} MiB)`);
      assert.equal(r.bytes, size);
      assert.ok(r.peakGrowthMiB < 64, `RSS grew by ${r.peakGrowthMiB.toFixed(1)} MiB`);
      // source and copy both equal the bytes generated for the upload
      assert.equal(await md5Of(await store.get('bucket-b', 'rgw/big200-copy')), big200Digest);
    } finally {
      await store.deleteObjects('bucket-a', ['rgw/big200']);
      await store.deleteObjects('bucket-b', ['rgw/big200-copy']);
    }
  });
});
