/**
 * The shared storage cases against Azurite (Microsoft's Azure Blob emulator, from npm), plus what is Azure's
 * own: the signed copy source, block copies over the sync-copy limit, the streaming fallback when the service
 * refuses a copy (CannotVerifyCopySource), retries of 503 ServerBusy only, and a wrong account key.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { StorageError } from '../../../src/core/storage';
import { AzureStore, azureServiceUrl } from '../../../src/core/storage/azureStore';
import { startAzurite, type AzuriteHandle } from '../../servers/azurite';
import { startFaultProxy } from './faultProxy';
import { md5Of, randomStream, readAll, storeCases, type StoreFixture } from './storeCases';

const MiB = 1024 * 1024;

describe('AzureStore on Azurite', () => {
  let az: AzuriteHandle;
  let store: AzureStore;
  let fx: StoreFixture;
  const azStore = (o: Partial<ConstructorParameters<typeof AzureStore>[0]> = {}, port = az.port) =>
    new AzureStore({ serviceUrl: azureServiceUrl('127.0.0.1', port, false, az.account), accountName: az.account, accountKey: az.accountKey, ...o });
  before(async () => {
    az = await startAzurite({ containers: ['bucket-a', 'bucket-b'] });
    store = azStore();
    fx = { store, bucket: 'bucket-a', bucket2: 'bucket-b' };
  });
  after(async () => {
    await store?.close();
    await az?.stop();
  });

  storeCases(() => fx, { s3: false });

  test('server-side copies go to the service with a signed source; big ones block by block', async () => {
    const seen: string[] = [];
    const proxy = await startFaultProxy(az.port, (req) => {
      const src = req.headers['x-ms-copy-source'];
      if (typeof src === 'string') seen.push(`${req.url} ${src}`);
      return undefined;
    });
    const via = azStore({ multipartCopyThresholdMiB: 12 }, proxy.port);
    try {
      const size = 25 * MiB + 3;
      const src = randomStream(size);
      await store.put('bucket-a', 'az/copy-src', src.stream, size);
      const digest = src.digest();
      await via.copyObject('bucket-a', 'az/copy-src', 'bucket-b', 'az/copy-dst', { size });
      // three Put Block From URL of max(10 MiB, size/10000), then the block list
      assert.equal(seen.filter((s) => s.includes('comp=block&') || s.includes('comp=block ')).length, 3, seen.join('\n'));
      for (const s of seen) assert.match(s.split(' ')[1]!, /\/bucket-a\/az\/copy-src\?.*sp=r.*&sig=/);
      assert.equal(await md5Of(await store.get('bucket-b', 'az/copy-dst')), digest);
      seen.length = 0;
      await via.copyObject('bucket-a', 'az/copy-src', 'bucket-b', 'az/copy-small', { size: 1 });
      assert.equal(seen.length, 1, 'one Copy Blob From URL below the threshold');
      assert.equal(await md5Of(await store.get('bucket-b', 'az/copy-small')), digest);
    } finally {
      await via.close();
      await proxy.close();
    }
  });

  test('a missing copy source fails as missing (Azure says 404 CannotVerifyCopySource), and is no reason to stop copying server-side', async () => {
    const notes: string[] = [];
    const s = azStore({ onRetry: (m) => notes.push(m) });
    try {
      await assert.rejects(s.copyObject('bucket-a', 'az/never-written', 'bucket-b', 'az/never-copied', { size: 10 }), (e: unknown) => {
        assert.ok(e instanceof StorageError, String(e));
        assert.equal(e.status, 404);
        assert.equal(e.retryable, false);
        assert.match(e.message, /copy bucket-a\/az\/never-written to bucket-b\/az\/never-copied failed: HTTP 404/);
        return true;
      });
      assert.deepEqual(notes, [], 'no fallback announced');
      assert.equal(await store.stat('bucket-b', 'az/never-copied'), undefined);
    } finally {
      await s.close();
    }
  });

  test('a copy the service refuses (CannotVerifyCopySource) streams instead, and later copies stream at once', async () => {
    let refused = 0;
    const proxy = await startFaultProxy(az.port, (req) => (req.headers['x-ms-copy-source'] ? (refused++, { fail: { status: 401, code: 'CannotVerifyCopySource' } }) : undefined));
    const notes: string[] = [];
    const via = azStore({ onRetry: (m) => notes.push(m) }, proxy.port);
    try {
      const data = randomBytes(3 * MiB);
      await store.put('bucket-a', 'az/refused-src', data, data.length);
      await via.copyObject('bucket-a', 'az/refused-src', 'bucket-b', 'az/refused-1');
      await via.copyObject('bucket-a', 'az/refused-src', 'bucket-b', 'az/refused-2', { size: data.length });
      assert.equal(refused, 1, 'asked the service once, not retried');
      assert.equal(notes.length, 1);
      assert.match(notes[0]!, /refused the server-side copy .*CannotVerifyCopySource.*streaming/);
      assert.doesNotMatch(notes[0]!, /sig=/, 'the signed source URL stays out of messages');
      assert.deepEqual(await readAll(await store.get('bucket-b', 'az/refused-1')), data);
      assert.deepEqual(await readAll(await store.get('bucket-b', 'az/refused-2')), data);
    } finally {
      await via.close();
      await proxy.close();
    }
  });

  test('503 ServerBusy and dropped connections are retried; 4xx answers are not', async () => {
    let n = 0;
    const proxy = await startFaultProxy(az.port, () => (n++ === 0 ? { reset: true } : n <= 3 ? { fail: { status: 503, code: 'ServerBusy' } } : undefined));
    const retries: string[] = [];
    const via = azStore({ retry: { initialDelayMs: 10, maxDelayMs: 40 }, onRetry: (m) => retries.push(m) }, proxy.port);
    try {
      await via.put('bucket-a', 'az/retry', Buffer.from('hello'), 5);
      assert.equal(retries.length, 3, retries.join('\n'));
      assert.match(retries[0]!, /retrying put bucket-a\/az\/retry \(attempt 2\/10\).*(ECONNRESET|socket hang up)/);
      assert.match(retries[1]!, /HTTP 503 ServerBusy/);
      assert.equal((await store.stat('bucket-a', 'az/retry'))?.size, 5);
      n = -1000;
      retries.length = 0;
      await assert.rejects(via.get('bucket-a', 'az/retry'), (e: unknown) => e instanceof StorageError && e.status === 503);
      assert.equal(retries.length, 9, 'all 10 attempts');
    } finally {
      await via.close();
      await proxy.close();
    }
  });

  test('bytes damaged on the way fail their Content-MD5 check (one Put Blob, or one block), not retried, and no blob appears', async () => {
    const proxy = await startFaultProxy(az.port, (req) => (req.method === 'PUT' && (req.url?.includes('corrupt-small') || req.url?.includes('blockid=')) ? { corrupt: true } : undefined));
    const retries: string[] = [];
    const via = azStore({ onRetry: (m) => retries.push(m) }, proxy.port);
    try {
      await assert.rejects(via.put('bucket-a', 'az/corrupt-small', randomBytes(1000), 1000), (e: unknown) => {
        assert.ok(e instanceof StorageError, String(e));
        assert.equal(e.storageCode, 'Md5Mismatch');
        return true;
      });
      const size = 10 * MiB;
      await assert.rejects(via.put('bucket-a', 'az/corrupt-big', randomStream(size).stream, size), (e: unknown) => {
        assert.ok(e instanceof StorageError, String(e));
        assert.equal(e.storageCode, 'Md5Mismatch');
        assert.match(e.message, /put bucket-a\/az\/corrupt-big block 1\/2/);
        return true;
      });
      assert.deepEqual(retries, []);
      assert.equal(await store.stat('bucket-a', 'az/corrupt-small'), undefined);
      assert.equal(await store.stat('bucket-a', 'az/corrupt-big'), undefined);
    } finally {
      await via.close();
      await proxy.close();
    }
  });

  test('a wrong account key fails at once with AuthorizationFailure/AuthenticationFailed, not retried, without the key', async () => {
    const retries: string[] = [];
    const wrongKey = Buffer.from('not-the-key-of-this-account').toString('base64');
    const bad = azStore({ accountKey: wrongKey, onRetry: (m) => retries.push(m) });
    try {
      await assert.rejects(bad.get('bucket-a', 'az/retry'), (e: unknown) => {
        assert.ok(e instanceof StorageError, String(e));
        assert.match(e.storageCode, /AuthorizationFailure|AuthenticationFailed|HTTP403/);
        assert.equal(e.retryable, false);
        assert.doesNotMatch(e.message, new RegExp(wrongKey.replace(/[+/=]/g, '.')));
        return true;
      });
      assert.deepEqual(retries, []);
    } finally {
      await bad.close();
    }
  });

  test('a port nothing listens on fails at once naming the address', async () => {
    const closed = await startFaultProxy(az.port, () => undefined);
    const port = closed.port;
    await closed.close();
    const none = azStore({}, port);
    const t0 = Date.now();
    await assert.rejects(none.stat('bucket-a', 'x'), (e: unknown) => {
      assert.ok(e instanceof StorageError, String(e));
      assert.match(e.message, new RegExp(`cannot connect to the storage server at http://127.0.0.1:${port}: ECONNREFUSED`));
      return true;
    });
    assert.ok(Date.now() - t0 < 5000);
  });
});
