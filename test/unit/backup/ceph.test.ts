import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createBackup, copyItems } from '../../../src/core/backup';
import { readBackupDir } from '../../../src/core/catalog/backupMeta';
import { createObjectStore } from '../../../src/core/storage';
import { startCeph, type CephHandle } from '../../servers/ceph';
import { startS3Server, type S3ServerHandle } from '../../servers/s3';
import { seedCollection, startSimEnv, type SimEnv } from './simEnv';

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
});
