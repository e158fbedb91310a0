import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createBackup } from '../../../src/core/backup';
import { readBackupDir } from '../../../src/core/catalog/backupMeta';
import { buildMetaFiles } from '../../../src/core/meta/files';
import { readObject } from '../../../src/core/catalog/readObject';
import type { BackupInfo } from '../../../src/core/meta/types';
import { startS3Server, type S3ServerHandle } from '../../servers/s3';
import { seedCollection, startSimEnv, type SimEnv } from './simEnv';

/**
 * One backup per Milvus line the tool supports (2.3, 2.4, 2.5, 2.6) on the test server, each with the
 * strategy its version selects or one named explicitly: several databases, a partition-key collection, the
 * dynamic field, deletes (L0 segments from 2.4, in-segment delta logs before), and the meta checked against
 * what the server stored.
 */
let s3: S3ServerHandle;

before(async () => {
  s3 = await startS3Server({ buckets: ['bucket-a', 'bucket-b'] });
});
after(async () => {
  await s3?.stop();
});

async function complete(env: SimEnv, name: string): Promise<BackupInfo> {
  const st = await readBackupDir(env.store, 'bucket-b', `backup/${name}/`, { detail: 'full' });
  assert.equal(st.state, 'complete', st.state === 'complete' ? '' : st.problem);
  if (st.state !== 'complete') throw new Error('unreachable');
  for (const f of buildMetaFiles(st.info)) {
    assert.equal((await readObject(env.store, 'bucket-b', `backup/${name}/meta/${f.name}`)).toString('utf8'), f.text, f.name);
  }
  return st.info;
}

/** Every source binlog of the backed-up collections is recorded with its size, and copied. */
async function assertMatchesSource(env: SimEnv, info: BackupInfo, name: string): Promise<void> {
  const src = await env.snapshot('bucket-a', 'files/');
  const dst = await env.snapshot('bucket-b', `backup/${name}/binlogs/`);
  let objects = 0;
  for (const c of info.collectionBackups) {
    const segs = [...c.partitionBackups.flatMap((p) => p.segmentBackups), ...c.l0Segments];
    for (const s of segs) for (const f of [...s.binlogs, ...s.deltalogs]) for (const b of f.binlogs) {
      assert.equal(src.get(b.logPath)?.split('/')[0], String(b.logSize), `${b.logPath} recorded with its size`);
      objects++;
    }
    const stored = [...src.keys()].filter((k) => k.includes(`_log/${c.collectionId}/`)).length;
    assert.equal(segs.reduce((a, s) => a + [...s.binlogs, ...s.deltalogs].reduce((x, f) => x + f.binlogs.length, 0), 0), stored, `${c.collectionName}: every binlog`);
  }
  assert.equal(dst.size, objects);
}

for (const [version, strategy, expected] of [
  ['v2.3.21', undefined, 'serial_flush'],
  ['v2.4.23', 'skip_flush', 'skip_flush'],
  ['v2.5.14', 'serial_flush', 'serial_flush'],
  ['v2.6.11', undefined, 'bulk_flush'],
] as const) {
  describe(`Milvus ${version}`, () => {
    let env: SimEnv;
    before(async () => {
      env = await startSimEnv(version, { s3 });
      // the buckets are shared by the versions: each run cleans up after itself
      await seedCollection(env.client, 'plain', 120, { deleteIds: [5, 6] });
      await seedCollection(env.client, 'keyed', 90, { partitionKey: true, deleteIds: [7] });
      await seedCollection(env.client, 'sales_coll', 30, { db: 'sales' });
    });
    after(async () => {
      for (const b of ['bucket-a', 'bucket-b']) {
        const keys = [...(await env.snapshot(b)).keys()];
        if (keys.length) await env.store.deleteObjects(b, keys);
      }
      await env?.stop();
    });

    test(`backs up two databases (${expected})`, async () => {
      const s = await createBackup({ config: env.config(), name: 'all', strategy, timing: { flush: { pollMs: 50, warnAfterMs: 600_000 } } });
      assert.equal(s.strategy, expected);
      assert.equal(s.milvusVersion, version);
      const info = await complete(env, 'all');
      assert.deepEqual(info.collectionBackups.map((c) => `${c.dbName}.${c.collectionName}`), ['default.plain', 'default.keyed', 'sales.sales_coll']);
      assert.deepEqual(info.databaseBackups.map((d) => d.dbName), ['default', 'sales']);
      const describeDb = version !== 'v2.3.21';
      assert.equal(info.databaseBackups.every((d) => d.dbId > 0n), describeDb, 'db ids from DescribeDatabase (2.4.3+)');
      await assertMatchesSource(env, info, 'all');

      const plain = info.collectionBackups[0]!;
      const keyed = info.collectionBackups[1]!;
      assert.equal(plain.schema!.enableDynamicField, true);
      assert.ok(keyed.schema!.fields.some((f) => f.isPartitionKey));
      assert.ok(keyed.partitionBackups.length > 1, 'partition-key partitions');
      const l0 = [...plain.l0Segments, ...plain.partitionBackups.flatMap((p) => p.segmentBackups.filter((x) => x.isL0))];
      if (version === 'v2.3.21') {
        assert.equal(l0.length, 0, 'no L0 before 2.4');
        assert.ok(plain.partitionBackups.flatMap((p) => p.segmentBackups).some((x) => x.deltalogs.some((f) => f.binlogs.length > 0)), 'in-segment delta logs');
      } else if (expected !== 'skip_flush') {
        assert.ok(l0.length > 0, 'the deletes are in L0 segments');
        assert.ok(plain.l0Segments.every((x) => x.partitionId === -1n && x.groupId === 0n));
      }
      if (expected === 'bulk_flush') {
        assert.ok(Object.keys(info.flushAllMsgsBase64).length > 0);
        assert.ok(info.physicalChannelNames.length > 0);
      }
      if (expected === 'serial_flush') assert.ok(plain.backupTimestamp > 0n);
      const segs = plain.partitionBackups.flatMap((p) => p.segmentBackups);
      assert.equal(segs.every((x) => x.vChannel !== ''), version === 'v2.5.14' || version === 'v2.6.11', 'REST describe from 2.5.8');
    });

    test('meta_only and a filtered backup', async () => {
      const m = await createBackup({ config: env.config(), name: 'meta', strategy: 'meta_only' });
      assert.equal(m.bytes, 0);
      const mi = await complete(env, 'meta');
      assert.equal(mi.collectionBackups.length, 3);
      assert.deepEqual([...(await env.snapshot('bucket-b', 'backup/meta/binlogs/')).keys()], []);
      const f = await createBackup({ config: env.config(), name: 'filtered', filter: 'sales.*,default.keyed', strategy: 'skip_flush' });
      assert.deepEqual(f.collections.map((c) => `${c.db}.${c.collection}`), ['sales.sales_coll', 'default.keyed'], 'filter order');
      await assertMatchesSource(env, await complete(env, 'filtered'), 'filtered');
    });
  });
}
