import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Env, ROOT, collection, field, rows, setup, waitFor } from './helpers';
import { decodeInsertLog, encodeInsertLog } from '../../milvus-sim/data/binlogCodec';
import type { CollectionView, Row } from '../../milvus-sim/data/api';

let env: Env;
before(async () => {
  env = await setup();
});
after(() => env.close());

type DP = Awaited<ReturnType<Env['open']>>;

async function backupTo(dp: DP, c: CollectionView, name: string) {
  const segs = await dp.segments(c);
  const base = `backup/${name}/binlogs`;
  for (const s of segs)
    for (const f of s.insertLogs)
      for (const b of f.binlogs) await env.store.put(`${base}/insert_log/${c.collectionId}/${s.partitionId}/${s.segmentId}/${s.segmentId}/${f.fieldId}/${b.logId}`, await env.store.get(b.key));
  const files = segs.map((s) => [`${base}/insert_log/${c.collectionId}/${s.partitionId}/${s.segmentId}/`]);
  return { base, segs, files };
}

async function importJob(dp: DP, dst: CollectionView, files: string[][]) {
  const j = await dp.createImport(dst, '_default', files, { backup: 'true' });
  return waitFor(
    async () => (await dp.getImport(j.jobId))!,
    (x) => x.state === 'Completed' || x.state === 'Failed',
  );
}

const sortRows = (rs: Row[]) => rs.map((r) => [...r.entries()].sort((a, b) => a[0] - b[0])).sort((a, b) => Number((a[0][1] as bigint) - (b[0][1] as bigint)));

describe('segments and binlog files split as Milvus splits them', () => {
  it('a flushed segment is several binlog files per field, one per insert-buffer sync, every field alike', async () => {
    // each row is ~8 (pk) + 8 (vec) + 4 (age) + name + $meta bytes; 300 bytes is a handful of rows per file
    const dir = await env.newDir();
    const first = await env.open('2.5.14', { binlogMaxBytes: 300 }, dir);
    const c = collection('2.5.14', { shards: 1 });
    const inserted = rows(40);
    await first.insert(c, undefined, inserted);
    await first.flush(c);
    await first.close();
    const dp = await env.open('2.5.14', { binlogMaxBytes: 300 }, dir);
    const [seg] = await dp.segments(c);
    assert.equal(seg.numRows, 40);
    const counts = seg.insertLogs.map((f) => f.binlogs.length);
    assert.ok(counts[0] > 1, `several files per field, got ${counts[0]}`);
    assert.ok(counts.every((n) => n === counts[0]), `same file count for every field: ${counts}`);
    for (const f of seg.insertLogs) {
      assert.equal(f.binlogs.reduce((s, b) => s + b.entries, 0), 40);
      for (const b of f.binlogs) {
        const { header, values } = decodeInsertLog(await env.store.get(b.key));
        assert.equal(values.length, b.entries);
        assert.equal(header.timestampFrom, b.timestampFrom);
        assert.ok(b.key.startsWith(`${ROOT}/insert_log/${c.collectionId}/`));
      }
      const ids = f.binlogs.map((b) => BigInt(b.logId));
      assert.deepEqual([...ids].sort((a, b) => (a < b ? -1 : 1)), ids, 'log ids ascend in write order (import sorts the keys)');
    }
    // the rows read back from the files (a fresh data plane on the same state) are the inserted ones
    const before = await dp.query(c, { filter: '', outputFieldIds: [101, 102, 103, 104] });
    assert.deepEqual(sortRows(before), sortRows(inserted));

    // import reads a multi-file segment back in order and fills segments up to the segment size
    const { files } = await backupTo(dp, c, 'split1');
    const small = await env.open('2.5.14', { maxSegmentBytes: 400 });
    const dst = collection('2.5.14', { shards: 1 });
    const job = await importJob(small, dst, files);
    assert.equal(job.state, 'Completed', job.reason);
    const dsegs = await small.segments(dst);
    assert.ok(dsegs.length > 1, `import split into several segments, got ${dsegs.length}`);
    assert.equal(dsegs.reduce((s, x) => s + x.numRows, 0), 40);
    const got = await small.query(dst, { filter: '', outputFieldIds: [101, 102, 103, 104] });
    assert.deepEqual(sortRows(got), sortRows(before));
  });

  it('the default binlog size (16 MiB insert buffer) keeps every file far below 64 MiB', async () => {
    const dp = await env.open('2.5.14');
    const dim = 512;
    const c = collection('2.5.14', { shards: 1, fields: [field(100, 'pk', 'Int64', { isPrimaryKey: true }), field(101, 'vec', 'FloatVector', { dim })] });
    const n = 12_000; // 12k × 2 KiB vectors ≈ 23 MiB in one segment
    const vec = Array.from({ length: dim }, (_, i) => i / dim);
    for (let i = 0; i < n; i += 3000)
      await dp.insert(c, undefined, Array.from({ length: 3000 }, (_, k) => new Map<number, any>([[100, BigInt(i + k)], [101, vec]])));
    await dp.flush(c);
    const [seg] = await dp.segments(c);
    const vecLogs = seg.insertLogs.find((f) => f.fieldId === 101)!.binlogs;
    assert.equal(vecLogs.length, 2, 'two syncs of at most 16 MiB');
    for (const b of vecLogs) assert.ok(b.entries * dim * 4 <= 16 * 1024 * 1024, `${b.entries} rows in one file`);
  });

  it('import fails on a damaged binlog and on a payload of another type, with Milvus reasons', async () => {
    const dp = await env.open('2.5.14');
    const c = collection('2.5.14', { shards: 1 });
    await dp.insert(c, undefined, rows(6));
    await dp.flush(c);
    const { base, segs, files } = await backupTo(dp, c, 'damaged');
    const s = segs[0];
    const ageLog = s.insertLogs.find((f) => f.fieldId === 103)!.binlogs[0];
    const key = `${base}/insert_log/${c.collectionId}/${s.partitionId}/${s.segmentId}/${s.segmentId}/103/${ageLog.logId}`;
    const original = await env.store.get(key);

    await env.store.put(key, Buffer.concat([Buffer.from('junk'), original.subarray(4)]));
    const dst = collection('2.5.14', { shards: 1, collectionId: c.collectionId + '1' });
    let job = await importJob(dp, dst, files);
    assert.equal(job.state, 'Failed');
    assert.match(job.reason, new RegExp(`^failed to create reader, binlog:${key}, error:parse magic number failed, expected: 16775868, actual: \\d+: importing data failed$`));

    // an Int64 column where the schema says Int32 (age): FieldData.AppendRows refuses the rows
    await env.store.put(
      key,
      encodeInsertLog({ collectionId: c.collectionId, partitionId: s.partitionId, segmentId: s.segmentId, storageVersion: 0, timestampFrom: '1', timestampTo: '2', fieldId: 103, columns: [{ fieldId: 103, dataType: 'Int64' }] }, rows(6).map((_, i) => BigInt(i))),
    );
    job = await importJob(dp, collection('2.5.14', { shards: 1 }), files);
    assert.equal(job.state, 'Failed');
    assert.match(job.reason, /^Wrong rows type\[expected=\[\]int32\]\[actual=Int64 rows\]: invalid parameter: importing data failed$/);

    // truncated payload: the framing says more bytes than the file has
    await env.store.put(key, original.subarray(0, original.length - 30));
    job = await importJob(dp, collection('2.5.14', { shards: 1 }), files);
    assert.equal(job.state, 'Failed');
    assert.match(job.reason, /^failed to create reader, binlog:.*runs past the file/);
  });
});
