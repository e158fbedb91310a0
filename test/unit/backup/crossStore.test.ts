import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyItems, createBackup } from '../../../src/core/backup';
import { readBackupDir } from '../../../src/core/catalog/backupMeta';
import { LocalStore } from '../../../src/core/storage';
import { startS3Server, type S3ServerHandle } from '../../servers/s3';
import { seedCollection, startSimEnv, type SimEnv } from './simEnv';

/**
 * Streaming backups: Milvus's bucket on one S3 server, the backup on another S3 server (or on `local`),
 * where server-side copy cannot work; and cancellation in the middle of a streamed copy.
 */
let env: SimEnv;
let other: S3ServerHandle;
let tmp: string;

describe('cross-store streaming backup', () => {
  before(async () => {
    env = await startSimEnv('v2.5.14');
    other = await startS3Server({ buckets: [] });
    tmp = await mkdtemp(join(tmpdir(), 'backup-local-'));
    await seedCollection(env.client, 'coll', 400, { deleteIds: [9] });
  });
  after(async () => {
    await env?.stop();
    await other?.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  function otherServer(): string[] {
    return [
      `minio.backupAddress=${other.host}`, `minio.backupPort=${other.port}`, 'minio.backupBucketName=far-bucket',
      `minio.backupAccessKeyID=${other.accessKey}`, `minio.backupSecretAccessKey=${other.secretKey}`,
    ];
  }

  test('to another S3 server: streamed, bucket created, same bytes as the source', async () => {
    const cfg = env.config(otherServer());
    let last: { doneBytes: number; totalBytes: number; doneObjects: number } | undefined;
    const s = await createBackup({ config: cfg, name: 'far', filter: 'coll', onProgress: (e) => { if (e.kind === 'bytes') last = e; } });
    assert.equal(s.transfer, 'streaming');
    // streamed bytes are reported as they flow and add up exactly
    assert.deepEqual(last && [last.doneBytes, last.totalBytes, last.doneObjects], [s.bytes, s.bytes, s.objects]);
    assert.equal(s.bucket, 'far-bucket');
    const { createObjectStore } = await import('../../../src/core/storage/index.js');
    const farStore = createObjectStore(cfg.backup.storage);
    try {
      const st = await readBackupDir(farStore, 'far-bucket', 'backup/far/', { detail: 'full' });
      assert.equal(st.state, 'complete');
      if (st.state !== 'complete') return;
      const src = await env.snapshot('bucket-a', 'files/');
      const c = st.info.collectionBackups[0]!;
      let n = 0;
      for (const seg of [...c.partitionBackups.flatMap((p) => p.segmentBackups), ...c.l0Segments]) {
        for (const f of [...seg.binlogs, ...seg.deltalogs]) for (const b of f.binlogs) {
          n++;
          assert.equal(src.get(b.logPath)?.split('/')[0], String(b.logSize));
        }
      }
      assert.equal(n, s.objects);
      // streamed single-part PUTs: the recorded destination ETag is the MD5 the source reports too
      let compared = 0;
      for (const seg of [...c.partitionBackups.flatMap((p) => p.segmentBackups), ...c.l0Segments]) {
        for (const it of copyItems('backup/far/', seg)) {
          const srcEtag = src.get(it.srcKey)?.split('/')[1];
          assert.ok(s.etags[it.dstKey], `ETag recorded for ${it.dstKey}`);
          if (srcEtag) {
            assert.equal(s.etags[it.dstKey], srcEtag, it.dstKey);
            compared++;
          }
        }
      }
      assert.equal(compared, s.objects);
    } finally {
      await farStore.close();
    }
    // transfer.mode direct across services is refused before any work
    const direct = env.config(otherServer());
    direct.transfer.mode = 'direct';
    await assert.rejects(
      createBackup({ config: direct, name: 'direct_far', filter: 'coll' }),
      /transfer\.mode is "direct".*different services/,
    );
  });

  test('to local storage', async () => {
    const root = join(tmp, 'backups');
    const cfg = env.config(['minio.backupStorageType=local', `minio.backupRootPath=${root}`]);
    const s = await createBackup({ config: cfg, name: 'on_disk', filter: 'coll', strategy: 'skip_flush' });
    assert.equal(s.transfer, 'streaming');
    const disk = new LocalStore({ root, buckets: 'ignore' });
    const st = await readBackupDir(disk, 'local', 'on_disk/', { detail: 'full' });
    assert.equal(st.state, 'complete');
    assert.equal(st.state === 'complete' && st.info.size, BigInt(s.bytes));
  });

  test('cancellation mid-copy leaves no backup and no leftovers', async () => {
    const cfg = env.config([...otherServer(), 'transfer.concurrency=1', 'backup.gcPause.enable=true']);
    const ac = new AbortController();
    let seen = 0;
    await assert.rejects(
      createBackup({
        config: cfg, name: 'stopped', filter: 'coll', strategy: 'skip_flush', signal: ac.signal,
        onProgress: (e) => {
          if (e.kind === 'bytes' && e.doneObjects >= 2 && !ac.signal.aborted) {
            seen = e.doneObjects;
            ac.abort();
          }
        },
      }),
      (e: Error) => e.name === 'AbortError',
    );
    assert.ok(seen >= 2);
    const { createObjectStore } = await import('../../../src/core/storage/index.js');
    const farStore = createObjectStore(cfg.backup.storage);
    try {
      const left: string[] = [];
      for await (const e of farStore.list('far-bucket', 'backup/stopped/', { recursive: true })) if (e.type === 'object') left.push(e.key);
      assert.deepEqual(left, []);
    } finally {
      await farStore.close();
    }
  });
});
