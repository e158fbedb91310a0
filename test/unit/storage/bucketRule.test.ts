/**
 * One bucket-name rule: a name the editor (and `config validate`) reports as `invalid-bucket-name` is exactly a
 * name `createObjectStore` refuses, for every S3-style provider. `my_bucket` on gcp (the S3 interop, through
 * minio-js) used to pass the editor's check and be refused by the engine.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateConfigText } from '../../../src/core/config';
import type { StorageConfig } from '../../../src/core/config/types';
import { UserError } from '../../../src/core/errors';
import { createObjectStore } from '../../../src/core/storage';

function editorSays(provider: string, bucket: string): boolean {
  const text = `minio:\n  storageType: ${provider}\n  address: 127.0.0.1\n  accessKeyID: ak\n  secretAccessKey: sk\n  bucketName: ${JSON.stringify(bucket)}\n  backupBucketName: backups\n`;
  return validateConfigText(text, { env: {}, set: [] }).some((p) => p.code === 'invalid-bucket-name' && p.severity === 'error');
}

function engineRefuses(provider: string, bucket: string): boolean {
  const cfg: StorageConfig = {
    provider: provider as StorageConfig['provider'], address: '127.0.0.1', port: 9000, region: '', useSSL: false, accountName: '',
    bucketName: bucket, rootPath: 'files', localPath: '',
    auth: { type: 'static', accessKeyID: 'ak', secretAccessKey: 'sk', sessionToken: '', accountKey: '', credentialsFile: '', endpoint: '' },
  };
  try {
    void createObjectStore(cfg).close();
    return false;
  } catch (e) {
    if (e instanceof UserError && e.code === 'invalid-bucket-name') return true;
    throw e;
  }
}

describe('bucket-name rule in editor and engine', () => {
  test('my_bucket on gcp: an error in the editor and refused by the engine', () => {
    assert.equal(editorSays('gcp', 'my_bucket'), true, 'editor');
    assert.equal(engineRefuses('gcp', 'my_bucket'), true, 'engine');
  });

  test('for every S3-style provider, the editor errs exactly when the engine refuses', () => {
    const names = ['my_bucket', 'bucket_A', 'a-bucket', 'a.b.c', 'ab', 'a..b', 'a.-b', 'a-.b', '-abc', 'abc-', '192.168.1.1', 'xn--abc', 'Upper', 'x'.repeat(63), 'x'.repeat(64)];
    for (const provider of ['minio', 's3', 'aws', 'gcp', 'aliyun', 'tencent', 'hwc']) {
      for (const name of names) {
        assert.equal(editorSays(provider, name), engineRefuses(provider, name), `${provider} ${name}`);
      }
    }
    assert.equal(engineRefuses('minio', 'a-bucket'), false, 'a valid name is accepted');
  });
});
