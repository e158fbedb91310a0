import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createBackup, copyItems } from '../../../src/core/backup';
import { readBackupDir } from '../../../src/core/catalog/backupMeta';
import { createObjectStore } from '../../../src/core/storage';
import { startCeph, type CephHandle } from '../../servers/ceph';
import { startS3Server, type S3ServerHandle } from '../../servers/s3';
import { seedCollection, startSimEnv, type SimEnv } from './simEnv';
import { FakeMilvus } from './fakeMilvus';
import { readObject } from '../../../src/core/catalog/readObject';

/**
 * A production S3 implementation on one side: the Milvus test server writes its binlogs to Ceph RGW; a backup
 * inside Ceph uses server-side CopyObject, a backup to the embedded S3 server streams across services.
 */
let ceph: CephHandle;
let s3: S3ServerHandle;
let env: SimEnv;

describe('Ceph RGW', () => {
  before(async () => {
    ceph = await startCeph({ buckets: ['bucket-a', 'bucket-b'] });
    s3 = await startS3Server({ buckets: [] });
    env = await startSimEnv('v2.5.14', { s3: ceph });
    await seedCollection(env.client, 'coll', 250, { deleteIds: [3, 4] });
  });
  after(async () => {
    await env?.stop();
    await s3?.stop();
    await ceph?.stop();
  });

  test('server-side backup inside Ceph: every object verified, ETags equal the source', async () => {
    const s = await createBackup({ config: env.config(), name: 'in_ceph', filter: 'coll' });
    assert.equal(s.transfer, 'server-side');
    const st = await readBackupDir(env.store, 'bucket-b', 'backup/in_ceph/', { detail: 'full' });
    assert.equal(st.state, 'complete');
    if (st.state !== 'complete') return;
    const src = await env.snapshot('bucket-a', 'files/');
    const dst = await env.snapshot('bucket-b', 'backup/in_ceph/binlogs/');
    const c = st.info.collectionBackups[0]!;
    let n = 0;
    for (const seg of [...c.partitionBackups.flatMap((p) => p.segmentBackups), ...c.l0Segments]) {
      for (const it of copyItems('backup/in_ceph/', seg)) {
        assert.equal(dst.get(it.dstKey), src.get(it.srcKey), it.dstKey);
        n++;
      }
    }
    assert.equal(n, s.objects);
    assert.equal(dst.size, n);
  });

  test('streaming backup from Ceph to the embedded S3 server', async () => {
    const cfg = env.config([
      `minio.backupAddress=${s3.host}`, `minio.backupPort=${s3.port}`, 'minio.backupBucketName=from-ceph',
      `minio.backupAccessKeyID=${s3.accessKey}`, `minio.backupSecretAccessKey=${s3.secretKey}`,
    ]);
    const s = await createBackup({ config: cfg, name: 'out_of_ceph', filter: 'coll', strategy: 'skip_flush' });
    assert.equal(s.transfer, 'streaming');
    const far = createObjectStore(cfg.backup.storage);
    try {
      const st = await readBackupDir(far, 'from-ceph', 'backup/out_of_ceph/', { detail: 'full' });
      assert.equal(st.state, 'complete');
      assert.equal(st.state === 'complete' && st.info.size, BigInt(s.bytes));
    } finally {
      await far.close();
    }
  });

  test('binlogs over transfer.multipartCopyThresholdMiB are copied with multipart UploadPartCopy, bytes intact', async () => {
    const big = 12 * 1024 * 1024;
    const gw = new FakeMilvus('v2.5.4', env.store, 'bucket-a', 'files', ['default'], [{
      db: 'default', name: 'bigcoll', id: 449000000000000001n, partitions: [{ id: 449000000000000002n, name: '_default' }],
      segments: [{ id: 449000000000000003n, partitionId: 449000000000000002n, level: 'L1', rows: 10, insert: { '100': [[11n, big]], '101': [[12n, 1024]] }, delta: [] }],
    }]);
    await gw.materialize();
    const cfg = env.config();
    cfg.transfer.multipartCopyThresholdMiB = 10;
    const s = await createBackup({ config: cfg, name: 'big_parts', strategy: 'skip_flush', gateway: gw });
    assert.equal(s.transfer, 'server-side');
    const dstKey = 'backup/big_parts/binlogs/insert_log/449000000000000001/449000000000000002/449000000000000003/449000000000000003/100/11';
    const dst = await env.snapshot('bucket-b', dstKey);
    const [size, etag] = dst.get(dstKey)!.split('/');
    assert.equal(Number(size), big);
    assert.match(etag!, /-\d+$/, 'multipart ETag');
    const a = await readObject(env.store, 'bucket-a', 'files/insert_log/449000000000000001/449000000000000002/449000000000000003/100/11');
    const b = await readObject(env.store, 'bucket-b', dstKey);
    assert.ok(a.equals(b));
  });
});
