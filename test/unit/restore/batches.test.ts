import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { collectionJobs, grpcFiles, importOptions, jobFiles, type BatchOptions } from '../../../src/core/restore/batches';
import { backupDirPrefix, stagedKey, stagingPrefix } from '../../../src/core/layout';
import { coll, seg } from './helpers';

const dir = backupDirPrefix('backup', 'nightly');
const opts = (o: Partial<BatchOptions> = {}): BatchOptions => ({
  backupDir: dir, maxSegmentsPerJob: 256, mode: 'merged', multiL0: false, hasDeltaDir: () => false, ...o,
});

describe('import batches', () => {
  test('backup dir and staging keys', () => {
    assert.equal(dir, 'backup/nightly/');
    assert.equal(backupDirPrefix('', 'n'), 'n/');
    assert.equal(stagingPrefix('t1', 'default', 'coll_bak'), 'restore-temp-t1-default-coll_bak/');
    assert.equal(stagedKey('restore-temp-t1-default-c/', dir, `${dir}binlogs/insert_log/1/2/3/`), 'restore-temp-t1-default-c/binlogs/insert_log/1/2/3/');
  });

  test('segments are grouped by (vchannel, storage version) and chunked to the maximum', () => {
    const segs = [
      ...Array.from({ length: 5 }, () => seg({ vChannel: 'ch0', rows: 3 })),
      ...Array.from({ length: 2 }, () => seg({ vChannel: 'ch1', rows: 4 })),
      seg({ vChannel: 'ch0', storageVersion: 2n, rows: 1 }),
    ];
    const c = coll('default', 'c', [{ name: '_default', segs }]);
    const j = collectionJobs(c, opts({ maxSegmentsPerJob: 2 }));
    const data = j.partitions[0]!.data;
    assert.deepEqual(data.map((x) => [x.vChannel, x.storageVersion, x.dirs.length]), [
      ['ch0', 0, 2], ['ch0', 0, 2], ['ch0', 0, 1], ['ch1', 0, 2], ['ch0', 2, 1],
    ]);
    assert.equal(data.reduce((n, x) => n + x.rows, 0), 5 * 3 + 2 * 4 + 1);
    assert.deepEqual(j.jobCount, { data: 5, l0: 0 });
  });

  test('insert dir per group, delta dir only when it exists in the backup', () => {
    const s1 = seg();
    const s2 = seg();
    const c = coll('default', 'c', [{ name: 'p1', segs: [s1, s2] }]);
    const p = c.partitionBackups[0]!;
    const withDelta = `${dir}binlogs/delta_log/${c.collectionId}/${p.partitionId}/${s2.segmentId}/`;
    const j = collectionJobs(c, opts({ hasDeltaDir: (d) => d === withDelta }));
    assert.deepEqual(jobFiles(j.partitions[0]!.data[0]!), [
      [`${dir}binlogs/insert_log/${c.collectionId}/${p.partitionId}/${s1.segmentId}/`],
      [`${dir}binlogs/insert_log/${c.collectionId}/${p.partitionId}/${s2.segmentId}/`, withDelta],
    ]);
    assert.deepEqual(grpcFiles(j.partitions[0]!.data[0]!.dirs[0]!), [`${dir}binlogs/insert_log/${c.collectionId}/${p.partitionId}/${s1.segmentId}/`, '']);
  });

  test('per-segment mode: one job per directory pair', () => {
    const c = coll('default', 'c', [{ name: 'p', segs: [seg(), seg(), seg()] }]);
    assert.equal(collectionJobs(c, opts({ mode: 'per-segment' })).jobCount.data, 3);
  });

  test('old backups without group ids import the whole partition in one pair', () => {
    const c = coll('default', 'c', [{ name: 'p', segs: [seg({ groupId: 0n }), seg({ groupId: 0n })] }]);
    const j = collectionJobs(c, opts());
    const p = c.partitionBackups[0]!;
    assert.deepEqual(jobFiles(j.partitions[0]!.data[0]!), [[`${dir}binlogs/insert_log/${c.collectionId}/${p.partitionId}/`]]);
    assert.throws(() => collectionJobs(c, opts({ endTsOf: () => '5' })), /group ids/);
  });

  test('L0: partition L0 after its data, collection-wide L0 separately; one per job unless multi-L0', () => {
    const l0a = seg({ isL0: true, rows: 2 });
    const l0b = seg({ isL0: true, rows: 1 });
    const g1 = seg({ isL0: true, partitionId: -1n, groupId: 0n });
    const g2 = seg({ isL0: true, partitionId: -1n, groupId: 0n });
    const c = coll('default', 'c', [{ name: 'p', segs: [seg(), l0a, l0b] }], { l0Segments: [g1, g2] });
    const single = collectionJobs(c, opts());
    assert.equal(single.partitions[0]!.data.length, 1);
    assert.equal(single.partitions[0]!.l0.length, 2);
    assert.equal(single.collectionL0.length, 2);
    assert.equal(single.collectionL0[0]!.partition, '');
    assert.deepEqual(jobFiles(single.collectionL0[0]!), [[`${dir}binlogs/delta_log/${c.collectionId}/-1/${g1.segmentId}/`]]);
    assert.deepEqual(grpcFiles(single.collectionL0[0]!.dirs[0]!), [`${dir}binlogs/delta_log/${c.collectionId}/-1/${g1.segmentId}/`]);
    const multi = collectionJobs(c, opts({ multiL0: true }));
    assert.equal(multi.partitions[0]!.l0.length, 1);
    assert.equal(multi.collectionL0.length, 1);
    assert.deepEqual(multi.jobCount, { data: 1, l0: 2 });
  });

  test('options: backup vs l0_import, end_ts only when known, storage_version when > 0, ezk', () => {
    const c = coll('default', 'c', [{ name: 'p', segs: [seg({ storageVersion: 2n }), seg({ isL0: true })] }]);
    const j = collectionJobs(c, opts({ endTsOf: (vch) => (vch ? '4600000000000000001' : '0') }));
    assert.deepEqual(importOptions(j.partitions[0]!.data[0]!, 'k'), [
      { key: 'skip_disk_quota_check', value: 'true' },
      { key: 'end_ts', value: '4600000000000000001' },
      { key: 'backup', value: 'true' },
      { key: 'storage_version', value: '2' },
      { key: 'ezk', value: 'k' },
    ]);
    assert.deepEqual(importOptions(collectionJobs(c, opts()).partitions[0]!.l0[0]!), [
      { key: 'skip_disk_quota_check', value: 'true' },
      { key: 'l0_import', value: 'true' },
    ]);
  });
});
