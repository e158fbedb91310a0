/** The shared storage cases against the embedded s3rver (patched). */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyBetween } from '../../../src/core/storage';
import { LocalStore } from '../../../src/core/storage/localStore';
import { startS3Server, type S3ServerHandle } from '../../servers/s3';
import type { MinioStore } from '../../../src/core/storage/minioStore';
import { readAll, s3Store, storeCases, type StoreFixture } from './storeCases';

describe('MinioStore on s3rver', () => {
  let server: S3ServerHandle;
  let store: MinioStore;
  let fx: StoreFixture;
  before(async () => {
    server = await startS3Server({ buckets: ['bucket-a', 'bucket-b'] });
    store = s3Store(server);
    fx = { store, bucket: 'bucket-a', bucket2: 'bucket-b', s3: server };
  });
  after(async () => {
    await store?.close();
    await server?.stop();
  });
  storeCases(() => fx, { s3: true });

  test('streaming copy between a local directory and S3, both ways', async () => {
    const root = await mkdtemp(join(tmpdir(), 'local-s3-'));
    try {
      const local = new LocalStore({ root, buckets: 'ignore' });
      const data = randomBytes(3 * 1024 * 1024 + 1);
      await local.put('', 'backup/b1/binlog', data, data.length);
      await copyBetween(local, '', 'backup/b1/binlog', store, 'bucket-a', 'from-local/binlog', { size: data.length });
      assert.deepEqual(await readAll(await store.get('bucket-a', 'from-local/binlog')), data);
      await copyBetween(store, 'bucket-a', 'from-local/binlog', local, '', 'restore/binlog', { size: data.length });
      assert.deepEqual(await readAll(await local.get('', 'restore/binlog')), data);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
