/** The shared storage cases against the embedded s3rver (patched). */
import { after, before, describe } from 'node:test';
import { startS3Server, type S3ServerHandle } from '../../servers/s3';
import type { MinioStore } from '../../../src/core/storage/minioStore';
import { s3Store, storeCases, type StoreFixture } from './storeCases';

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
});
