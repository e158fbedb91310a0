/** The storage layer's pure rules: bucket names, retry classification, part layouts, provider mapping. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { UserError } from '../../../src/core/errors';
import type { StorageConfig } from '../../../src/core/config/types';
import { AzureStore, bucketNameProblem, createObjectStore, GcsStore, isRetryableStorageError, LocalStore, MinioStore } from '../../../src/core/storage';
import { copyPartSize, MiB, planParts, putPartSize } from '../../../src/core/storage/partPlan';
import { PartReader } from '../../../src/core/storage/partReader';
import { wrapStorageError } from '../../../src/core/storage/storageError';

function cfg(over: Partial<StorageConfig>): StorageConfig {
  return {
    provider: 'minio',
    address: '127.0.0.1',
    port: 9000,
    region: '',
    useSSL: false,
    accountName: '',
    bucketName: 'a-bucket',
    rootPath: 'files',
    localPath: '',
    auth: { type: 'static', accessKeyID: 'ak', secretAccessKey: 'sk', sessionToken: '', accountKey: '', credentialsFile: '', endpoint: '' },
    ...over,
  };
}

describe('bucket names', () => {
  test('the docs\' bucket_A is rejected with advice; valid names pass', () => {
    assert.match(bucketNameProblem('minio', 'bucket_A')!, /contains "_", "A": .*; the Milvus docs' bucket_A is an illustration — use e\.g\. bucket-a/);
    assert.match(bucketNameProblem('minio', 'ab')!, /3–63/);
    assert.match(bucketNameProblem('minio', '-abc')!, /start and end/);
    assert.match(bucketNameProblem('minio', 'a..b')!, /\.\./);
    assert.match(bucketNameProblem('minio', 'a.-b')!, /"\.-" or "-\."/);
    assert.match(bucketNameProblem('minio', '192.168.1.1')!, /IP address/);
    for (const ok of ['a-bucket', 'milvus-bucket', 'a.b.c', 'abc', 'x'.repeat(63)]) assert.equal(bucketNameProblem('minio', ok), undefined, ok);
  });
});

describe('retry classification', () => {
  const s3err = (code: string) => Object.assign(new Error('m'), { code });
  test('throttling, 5xx and network resets are retried; credentials, permissions and missing keys are not', () => {
    for (const c of ['SlowDown', 'RequestTimeout', 'InternalError', 'ServiceUnavailable', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']) {
      assert.equal(isRetryableStorageError(s3err(c)), true, c);
    }
    for (const c of ['AccessDenied', 'NoSuchKey', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'NoSuchBucket', 'BadDigest']) {
      assert.equal(isRetryableStorageError(s3err(c)), false, c);
    }
    // minio-js with its retries off reports 5xx as a bare message
    assert.equal(isRetryableStorageError(new Error('Request failed after 0 retries: Error: Retryable HTTP status: 502')), true);
    const abort = Object.assign(new Error('x'), { name: 'AbortError', code: 'ECONNRESET' });
    assert.equal(isRetryableStorageError(abort), false);
  });

  test('wrapped errors name the operation and target and carry the code of a bare 5xx', () => {
    const e = wrapStorageError(new Error('Retryable HTTP status: 503'), 'put b/k', { status: 503, code: 'SlowDown', message: 'Reduce your rate' });
    assert.equal(e.message, 'put b/k failed: HTTP 503 SlowDown: Reduce your rate');
    assert.equal(isRetryableStorageError(e), true);
  });
});

describe('part layouts', () => {
  test('server-side multipart copy: max(10 MiB, ceil(size/10000)) parts, never over 10000', () => {
    assert.equal(copyPartSize(25 * MiB), 10 * MiB);
    const p = planParts(25 * MiB + 3, copyPartSize(25 * MiB + 3));
    assert.deepEqual(p.map((x) => [x.partNumber, x.start, x.end]), [
      [1, 0, 10 * MiB - 1],
      [2, 10 * MiB, 20 * MiB - 1],
      [3, 20 * MiB, 25 * MiB + 2],
    ]);
    const huge = 3 * 1024 * 1024 * MiB; // 3 TiB
    assert.ok(planParts(huge, copyPartSize(huge)).length <= 10000);
    assert.ok(copyPartSize(huge) > 10 * MiB);
  });
  test('uploads: 8 MiB parts unless the object needs bigger ones', () => {
    assert.equal(putPartSize(70 * MiB), 8 * MiB);
    assert.equal(putPartSize(400 * 1024 * MiB), 41 * MiB);
    assert.equal(putPartSize(10 * MiB, 1 * MiB), 5 * MiB);
  });
});

describe('PartReader', () => {
  test('fails on a stream longer or shorter than announced', async () => {
    const long = new PartReader(Readable.from([Buffer.alloc(10), Buffer.alloc(5)]), 10);
    assert.equal((await long.read(Buffer.alloc(10), 10)).length, 10);
    await assert.rejects(long.finish(), /longer than the announced 10 bytes/);
    const short = new PartReader(Readable.from([Buffer.alloc(4)]), 10);
    await assert.rejects(short.read(Buffer.alloc(10), 10), /ended after 4 of 10 bytes/);
  });
});

describe('createObjectStore', () => {
  test('S3-speaking providers map to MinioStore with the Go tool\'s endpoints and regions', async () => {
    const minio = createObjectStore(cfg({}));
    assert.ok(minio instanceof MinioStore);
    assert.equal(minio.backendKey, 'minio|http://127.0.0.1:9000|');
    assert.equal(createObjectStore(cfg({ region: 'eu-1' })).backendKey, 'minio|http://127.0.0.1:9000|eu-1');
    const gcp = createObjectStore(cfg({ provider: 'gcp', address: '', port: 0, useSSL: true }));
    assert.equal(gcp.backendKey, 'gcp|https://storage.googleapis.com:443|auto');
    const aws = createObjectStore(cfg({ provider: 'aws', address: '', port: 0, useSSL: true, region: 'eu-west-1' }));
    assert.equal(aws.backendKey, 'aws|https://s3.amazonaws.com:443|eu-west-1');
    for (const p of ['aliyun', 'tencent', 'hwc', 's3'] as const) assert.equal(createObjectStore(cfg({ provider: p })).provider, p);
    await Promise.all([minio, gcp, aws].map((s) => s.close()));
  });
  test('local is a LocalStore with the bucket ignored', () => {
    assert.ok(createObjectStore(cfg({ provider: 'local', rootPath: '/tmp' })) instanceof LocalStore);
  });
  test('azure and gcpnative get their SDK stores (the SDK not loaded yet); IAM off AWS is refused', async () => {
    const az = createObjectStore(cfg({ provider: 'azure', address: 'core.windows.net', port: 443, useSSL: true, accountName: 'acct', auth: { ...cfg({}).auth, type: 'sharedKey', accountKey: 'a2V5' } }));
    assert.ok(az instanceof AzureStore);
    assert.equal(az.backendKey, 'azure|https://acct.blob.core.windows.net:443|acct');
    const azurite = createObjectStore(cfg({ provider: 'azure', address: '127.0.0.1', port: 10000, accountName: 'devstoreaccount1', auth: { ...cfg({}).auth, type: 'default' } }));
    assert.equal(azurite.backendKey, 'azure|http://127.0.0.1:10000/devstoreaccount1|devstoreaccount1');
    assert.throws(() => createObjectStore(cfg({ provider: 'azure', accountName: 'acct', auth: { ...cfg({}).auth, type: 'sharedKey' } })), /needs the account key/);
    assert.throws(() => createObjectStore(cfg({ provider: 'azure', auth: { ...cfg({}).auth, type: 'sharedKey', accountKey: 'k' } })), /needs the storage account name/);
    const gcs = createObjectStore(cfg({ provider: 'gcpnative', address: '', port: 443, useSSL: true, auth: { ...cfg({}).auth, type: 'default' } }));
    assert.ok(gcs instanceof GcsStore);
    assert.equal(gcs.backendKey, 'gcpnative|https://storage.googleapis.com:443');
    assert.equal(createObjectStore(cfg({ provider: 'gcpnative', address: 'storage.googleapis.com', port: 443, useSSL: true, auth: { ...cfg({}).auth, type: 'default' } })).backendKey, gcs.backendKey);
    assert.equal(createObjectStore(cfg({ provider: 'gcpnative', port: 4443, auth: { ...cfg({}).auth, type: 'default' } })).backendKey, 'gcpnative|http://127.0.0.1:4443');
    assert.throws(() => createObjectStore(cfg({ provider: 'gcpnative', auth: { ...cfg({}).auth, type: 'serviceAccount' } })), /service-account JSON key/);
    for (const p of ['gcp', 'aliyun', 'tencent', 'hwc'] as const) {
      assert.throws(() => createObjectStore(cfg({ provider: p, auth: { ...cfg({}).auth, type: 'iam' } })), (e: unknown) => e instanceof UserError && e.code === 'storage-unsupported' && /IAM authentication for "\w+" is not supported/.test(e.message));
    }
    assert.ok(createObjectStore(cfg({ provider: 'aws', auth: { ...cfg({}).auth, type: 'default', accessKeyID: '', secretAccessKey: '' } })) instanceof MinioStore);
    // building a store loads no SDK: that happens on its first request
    const loaded = Object.keys(require.cache).filter((k) => /node_modules[\\/](@azure[\\/](storage-blob|identity)|@google-cloud[\\/]storage)[\\/]/.test(k));
    assert.deepEqual(loaded, []);
    await Promise.all([az, azurite, gcs].map((s) => s.close()));
  });
  test('bad buckets and missing keys are clear errors', () => {
    assert.throws(() => createObjectStore(cfg({ bucketName: 'bucket_A' })), /bucket_A is an illustration/);
    assert.throws(
      () => createObjectStore(cfg({ auth: { ...cfg({}).auth, accessKeyID: '' } })),
      /needs an access key id and a secret access key/,
    );
    assert.throws(() => createObjectStore(cfg({ provider: 'nope' as never })), /unsupported storage type "nope"/);
  });
});
