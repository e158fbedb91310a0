import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Env, ROOT, collection, rows, setup, waitFor } from './helpers';
import { decodeDeltaLog, decodeInsertLog } from '../../milvus-sim/data/binlogCodec';

let env: Env;
before(async () => {
  env = await setup();
});
after(() => env.close());

const INSERT_RE = new RegExp(`^${ROOT}/insert_log/(\\d+)/(\\d+)/(\\d+)/(\\d+)/(\\d+)$`);
const DELTA_RE = new RegExp(`^${ROOT}/delta_log/(\\d+)/(-?\\d+)/(\\d+)/(\\d+)$`);

describe('flush writes Milvus binlog keys', () => {
  it('one binlog per field (0, 1, user fields, $meta) per segment, ids above 2^53', async () => {
    const dp = await env.open('2.5.14');
    const c = collection('2.5.14', { shards: 2 });
    const ins = await dp.insert(c, undefined, rows(10));
    assert.equal(ins.ids.length, 10);
    assert.ok(BigInt(ins.timestamp) > 2n ** 53n);
    assert.deepEqual(await dp.segments(c), [], 'growing segments are not persistent');
    assert.equal(await dp.rowCount(c), 0, 'num_entities counts flushed data only');
    assert.equal(await dp.count(c, ''), 10, 'queries see growing data');
    const fr = await dp.flush(c);
    assert.ok(fr.segmentIds.length >= 1 && fr.segmentIds.length <= 2);
    assert.deepEqual(fr.flushedSegmentIds, []);
    assert.deepEqual(Object.keys(fr.channelCheckpoints).sort(), [...c.vchannels].sort());
    assert.equal(await dp.getFlushState(fr.segmentIds, fr.flushTs, c), true);
    const segs = await dp.segments(c);
    assert.equal(segs.length, fr.segmentIds.length);
    let total = 0;
    for (const s of segs) {
      assert.equal(s.state, 'Flushed');
      assert.equal(s.level, 'L1');
      assert.equal(s.storageVersion, 0);
      assert.ok(BigInt(s.segmentId) > 2n ** 53n);
      assert.deepEqual(s.insertLogs.map((f) => f.fieldId).sort((a, b) => a - b), [0, 1, 100, 101, 102, 103, 104]);
      for (const f of s.insertLogs) {
        assert.equal(f.binlogs.length, 1);
        const b = f.binlogs[0];
        assert.ok(BigInt(b.logId) > 2n ** 53n);
        assert.equal(b.key, `${ROOT}/insert_log/${c.collectionId}/${c.partitions[0].partitionId}/${s.segmentId}/${f.fieldId}/${b.logId}`);
        assert.equal(b.entries, s.numRows);
      }
      total += s.numRows;
      // every row of a segment hashes to the segment's vchannel
      assert.ok(c.vchannels.includes(s.vchannel));
    }
    assert.equal(total, 10);
    const objects = await env.store.list(`${ROOT}/insert_log/${c.collectionId}/`);
    assert.equal(objects.length, 7 * segs.length);
    for (const o of objects) assert.match(o.key, INSERT_RE);
    const sizes = new Map(objects.map((o) => [o.key, o.size]));
    for (const s of segs) for (const f of s.insertLogs) assert.equal(sizes.get(f.binlogs[0].key), f.binlogs[0].size);
    // content round-trips exactly
    const s0 = segs[0];
    const pkLog = s0.insertLogs.find((f) => f.fieldId === 100)!.binlogs[0];
    const { values } = decodeInsertLog(await env.store.get(pkLog.key));
    assert.equal(values.length, s0.numRows);
    assert.equal(typeof values[0], 'bigint');
    // a second flush with no new data seals nothing and reports the flushed segments
    const fr2 = await dp.flush(c);
    assert.deepEqual(fr2.segmentIds, []);
    assert.deepEqual([...fr2.flushedSegmentIds].sort(), [...fr.segmentIds].sort());
    // a flush after more inserts writes new segments, again one file per field
    await dp.insert(c, undefined, rows(4, 100n));
    const fr3 = await dp.flush(c);
    assert.ok(fr3.segmentIds.length >= 1);
    for (const id of fr3.segmentIds) {
      const s = (await dp.segment(id))!;
      assert.equal(s.insertLogs.length, 7);
      for (const f of s.insertLogs) assert.equal(f.binlogs.length, 1);
    }
    assert.equal(await dp.count(c, ''), 14);
    assert.equal(await dp.rowCount(c), 14);
  });

  it('2.4+: deletes become L0 segments (partition -1 without a partition name, the partition with one)', async () => {
    const dp = await env.open('2.4.10');
    const c = collection('2.4.10', { shards: 1, partitions: ['_default', 'p1'] });
    await dp.insert(c, undefined, rows(5));
    await dp.insert(c, 'p1', rows(5, 100n));
    await dp.flush(c);
    const d1 = await dp.delete(c, undefined, 'pk in [1, 2, 999]');
    assert.equal(d1.deleteCount, 3, 'simple pk delete counts the listed keys, as Milvus');
    const d2 = await dp.delete(c, 'p1', 'age >= 23');
    assert.equal(d2.deleteCount, 2);
    assert.equal(await dp.count(c, ''), 6);
    const fr = await dp.flush(c);
    assert.deepEqual(fr.segmentIds, [], 'L0 segments are not reported as sealed');
    const segs = await dp.segments(c);
    const l0 = segs.filter((s) => s.level === 'L0');
    assert.equal(l0.length, 2);
    const whole = l0.find((s) => s.partitionId === '-1')!;
    const part = l0.find((s) => s.partitionId === c.partitions[1].partitionId)!;
    assert.ok(whole && part);
    for (const s of l0) {
      assert.equal(s.insertLogs.length, 0);
      assert.equal(s.deltaLogs.length, 1);
      assert.match(s.deltaLogs[0].key, DELTA_RE);
      assert.equal(s.deltaLogs[0].key, `${ROOT}/delta_log/${c.collectionId}/${s.partitionId}/${s.segmentId}/${s.deltaLogs[0].logId}`);
    }
    assert.equal(whole.numRows, 3);
    const entries = decodeDeltaLog(await env.store.get(whole.deltaLogs[0].key)).entries;
    assert.deepEqual(entries.map((e) => e.pk), [1n, 2n, 999n]);
    assert.equal(await dp.count(c, ''), 6);
    assert.equal(await dp.count(c, '', ['p1']), 3);
    // the partition-scoped delete did not touch the same ages in _default
    assert.equal(await dp.count(c, 'age >= 23', ['_default']), 2);
    // a key re-inserted after its delete is visible again (delete ts < row ts)
    await dp.insert(c, undefined, rows(1, 1n));
    assert.equal(await dp.count(c, 'pk == 1'), 1);
  });

  it('before 2.4: deletes are delta logs inside the segments that hold the rows', async () => {
    const dp = await env.open('2.3.21');
    const c = collection('2.3.21', { shards: 1 });
    await dp.insert(c, undefined, rows(6));
    const fr = await dp.flush(c);
    assert.equal(fr.segmentIds.length, 1);
    const segId = fr.segmentIds[0];
    assert.equal((await dp.segment(segId))!.level, 'Legacy');
    await dp.delete(c, undefined, 'pk in [2, 4]');
    assert.equal(await dp.count(c, ''), 4);
    await dp.flush(c);
    const segs = await dp.segments(c);
    assert.equal(segs.length, 1);
    assert.ok(!segs.some((s) => s.level === 'L0'));
    const s = segs[0];
    assert.equal(s.deltaLogs.length, 1);
    assert.equal(s.deltaLogs[0].key, `${ROOT}/delta_log/${c.collectionId}/${c.partitions[0].partitionId}/${segId}/${s.deltaLogs[0].logId}`);
    assert.equal(s.numRows, 6);
    assert.equal(await dp.count(c, ''), 4);
  });

  it('2.6 segments report storage_version 2', async () => {
    const dp = await env.open('2.6.9');
    const c = collection('2.6.9', { shards: 1 });
    await dp.insert(c, undefined, rows(3));
    await dp.flush(c);
    const [s] = await dp.segments(c);
    assert.equal(s.storageVersion, 2);
  });

  it('seals a growing segment at the row limit and flushes it in the background', async () => {
    const dp = await env.open('2.5.14', { maxRowsPerSegment: 4 });
    const c = collection('2.5.14', { shards: 1 });
    await dp.insert(c, undefined, rows(10));
    const persisted = async () => (await dp.segments(c)).filter((s) => s.state === 'Flushed');
    const fr = await dp.flush(c);
    const segs = await persisted();
    assert.equal(segs.length, 3);
    assert.deepEqual(segs.map((s) => s.numRows).sort(), [2, 4, 4]);
    assert.equal(await dp.getFlushState(fr.segmentIds), true);
  });

  it('fault: an orphan binlog in a field dir (DataNode retry) is in the bucket but not in the segment metadata', async () => {
    const dp = await env.open('2.5.14');
    const c = collection('2.5.14', { shards: 1 });
    await dp.insert(c, undefined, rows(3));
    const fr = await dp.flush(c);
    const seg = fr.segmentIds[0];
    const key = await dp.injectOrphanBinlog!(seg, 101);
    assert.match(key, new RegExp(`^${ROOT}/insert_log/${c.collectionId}/\\d+/${seg}/101/\\d+$`));
    const listed = await env.store.list(`${ROOT}/insert_log/${c.collectionId}/`);
    assert.equal(listed.filter((o) => o.key.includes(`/${seg}/101/`)).length, 2);
    assert.equal((await dp.segment(seg))!.insertLogs.find((f) => f.fieldId === 101)!.binlogs.length, 1);
    assert.equal(await dp.count(c, ''), 3);
  });

  it('flushDelayMs: Flush only seals; GetFlushState turns true once the binlogs are written', async () => {
    const dp = await env.open('2.5.14', { flushDelayMs: 150 });
    const c = collection('2.5.14', { shards: 1 });
    await dp.insert(c, undefined, rows(3));
    await dp.delete(c, undefined, 'pk == 1');
    const fr = await dp.flush(c);
    assert.equal(fr.segmentIds.length, 1);
    assert.equal(await dp.getFlushState(fr.segmentIds, fr.flushTs, c), false);
    assert.equal((await dp.segment(fr.segmentIds[0]))!.state, 'Flushing');
    assert.equal(await dp.count(c, ''), 2, 'data stays visible while flushing');
    const again = await dp.flush(c); // reports the flushing segment, writes it once
    assert.deepEqual(again.segmentIds, fr.segmentIds);
    await waitFor(() => dp.getFlushState(fr.segmentIds, fr.flushTs, c), (x) => x === true);
    const segs = await dp.segments(c);
    assert.equal(segs.length, 2);
    const l1 = segs.find((s) => s.level === 'L1')!;
    assert.equal(l1.state, 'Flushed');
    assert.equal(l1.insertLogs.length, 7);
    const objects = await env.store.list(`${ROOT}/insert_log/${c.collectionId}/`);
    assert.equal(objects.length, 7, 'written once');
    assert.equal(await dp.count(c, ''), 2);
  });
});
