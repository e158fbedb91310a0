import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Env, ROOT, collection, field, rows, setup, waitFor } from './helpers';
import { DataPlaneError } from '../../milvus-sim/data/api';
import type { CollectionView, ImportState, Row, SegmentView } from '../../milvus-sim/data/api';

let env: Env;
before(async () => {
  env = await setup();
});
after(() => env.close());

type DP = Awaited<ReturnType<Env['open']>>;

/** Copies a collection's segments the way the Go tool lays out a backup (Go `internal/storage/mpath/path.go`: groupID = segID). */
async function backup(dp: DP, c: CollectionView, name: string) {
  const segs = await dp.segments(c);
  const base = `backup/${name}/binlogs`;
  for (const s of segs) {
    for (const f of s.insertLogs)
      for (const b of f.binlogs) await env.store.put(`${base}/insert_log/${c.collectionId}/${s.partitionId}/${s.segmentId}/${s.segmentId}/${f.fieldId}/${b.logId}`, await env.store.get(b.key));
    for (const b of s.deltaLogs) {
      const group = s.partitionId === '-1' ? '' : `${s.segmentId}/`;
      await env.store.put(`${base}/delta_log/${c.collectionId}/${s.partitionId}/${group}${s.segmentId}/${b.logId}`, await env.store.get(b.key));
    }
  }
  return { base, segs };
}

async function finish(dp: DP, jobId: string) {
  const seen = new Set<ImportState>();
  const job = await waitFor(
    async () => {
      const j = (await dp.getImport(jobId))!;
      seen.add(j.state);
      return j;
    },
    (j) => j.state === 'Completed' || j.state === 'Failed',
  );
  return { job, seen };
}

function norm(rs: Row[]) {
  return rs
    .map((r) => [...r.entries()].sort((a, b) => a[0] - b[0]))
    .sort((a, b) => (String(a[0][1]) < String(b[0][1]) ? -1 : 1));
}

async function restore(dp: DP, src: CollectionView, dst: CollectionView, base: string, segs: SegmentView[], options: Record<string, string> = {}) {
  const files = segs
    .filter((s) => s.level !== 'L0')
    .map((s) => [`${base}/insert_log/${src.collectionId}/${s.partitionId}/${s.segmentId}/`, `${base}/delta_log/${src.collectionId}/${s.partitionId}/${s.segmentId}/`]);
  const job = await dp.createImport(dst, '_default', files, { backup: 'true', skip_disk_quota_check: 'true', ...options });
  return finish(dp, job.jobId);
}

describe('import (backup: true / l0_import: true) as Milvus does it', () => {
  it('round trip: flush → backup layout → import into a collection with the same field ids → same rows', async () => {
    const dp = await env.open('2.5.14');
    const src = collection('2.5.14', { shards: 2 });
    await dp.insert(src, undefined, rows(20));
    await dp.flush(src);
    await dp.delete(src, undefined, 'pk in [3, 4]');
    await dp.flush(src);
    await dp.insert(src, undefined, rows(5, 100n));
    await dp.delete(src, '_default', 'pk == 101');
    await dp.flush(src);
    const expected = await dp.query(src, { filter: '', outputFieldIds: [101, 102, 103, 104] });
    assert.equal(expected.length, 22);
    const { base, segs } = await backup(dp, src, 'b1');

    const dst = collection('2.5.14', { shards: 2 });
    const { job, seen } = await restore(dp, src, dst, base, segs);
    assert.equal(job.state, 'Completed', job.reason);
    assert.ok(seen.has('Pending') || seen.has('PreImporting') || seen.has('Importing'), `intermediate states visible: ${[...seen]}`);
    assert.equal(job.progress, 100);
    // partition-scoped L0 (pk 101) travelled with its segment's delta dir? No: L0 deletes come with l0_import.
    const l0 = segs.filter((s) => s.level === 'L0');
    assert.ok(l0.some((s) => s.partitionId === '-1'));
    for (const s of l0) {
      const dir = s.partitionId === '-1' ? `${base}/delta_log/${src.collectionId}/-1/${s.segmentId}/` : `${base}/delta_log/${src.collectionId}/${s.partitionId}/${s.segmentId}/`;
      const part = s.partitionId === '-1' ? undefined : '_default';
      const j = await dp.createImport(dst, part, [[dir]], { l0_import: 'true', skip_disk_quota_check: 'true' });
      const r = await finish(dp, j.jobId);
      assert.equal(r.job.state, 'Completed', r.job.reason);
    }
    const got = await dp.query(dst, { filter: '', outputFieldIds: [101, 102, 103, 104] });
    assert.deepEqual(norm(got), norm(expected));
    // imported segments: fresh ids, written under the target collection in this bucket
    const dsegs = await dp.segments(dst);
    assert.ok(dsegs.length >= 1);
    const srcIds = new Set(segs.map((s) => s.segmentId));
    for (const s of dsegs) {
      assert.ok(!srcIds.has(s.segmentId));
      for (const f of s.insertLogs) for (const b of f.binlogs) assert.ok(b.key.startsWith(`${ROOT}/insert_log/${dst.collectionId}/`));
      for (const b of s.deltaLogs) assert.ok(b.key.startsWith(`${ROOT}/delta_log/${dst.collectionId}/`));
    }
    assert.ok(dsegs.some((s) => s.level === 'L0'));
    assert.deepEqual((await dp.listImports(dst)).map((j) => j.state), ['Completed', ...l0.map(() => 'Completed')]);
  });

  it('a 2.3 backup (deletes as delta logs inside the segments) restores into 2.5 with the deltas applied', async () => {
    const old = await env.open('2.3.21');
    const src = collection('2.3.21', { shards: 2 });
    await old.insert(src, undefined, rows(10));
    await old.flush(src);
    await old.delete(src, undefined, 'pk in [2, 5, 7]');
    await old.flush(src);
    const segs = await old.segments(src);
    assert.ok(segs.every((s) => s.level === 'Legacy'));
    assert.ok(segs.some((s) => s.deltaLogs.length > 0));
    const expected = await old.query(src, { filter: '', outputFieldIds: [101, 102, 103, 104] });
    assert.equal(expected.length, 7);
    const { base } = await backup(old, src, 'b23');
    const dp = await env.open('2.5.14');
    const dst = collection('2.5.14', { shards: 2 });
    const { job } = await restore(dp, src, dst, base, segs);
    assert.equal(job.state, 'Completed', job.reason);
    assert.equal(job.totalRows, 7);
    assert.deepEqual(norm(await dp.query(dst, { filter: '', outputFieldIds: [101, 102, 103, 104] })), norm(expected));
  });

  it('a partition dir (old backups without group ids) and Milvus own prefixes import too', async () => {
    const dp = await env.open('2.5.14');
    const src = collection('2.5.14', { shards: 2 });
    await dp.insert(src, undefined, rows(12));
    await dp.flush(src);
    await dp.insert(src, undefined, rows(3, 50n));
    await dp.flush(src);
    const p = src.partitions[0].partitionId;
    const dst = collection('2.5.14', { shards: 1 });
    const j = await dp.createImport(dst, '_default', [[`${ROOT}/insert_log/${src.collectionId}/${p}/`]], { backup: 'true' });
    const { job } = await finish(dp, j.jobId);
    assert.equal(job.state, 'Completed', job.reason);
    assert.equal(await dp.count(dst, ''), 15);
    assert.equal(job.totalRows, 15);
  });

  it('a bare segment dir is not a valid prefix (datacoord takes each child dir as a segment), as in Milvus', async () => {
    const dp = await env.open('2.5.14');
    const src = collection('2.5.14', { shards: 1 });
    await dp.insert(src, undefined, rows(3));
    const fr = await dp.flush(src);
    const dst = collection('2.5.14', { shards: 1 });
    const seg = `${ROOT}/insert_log/${src.collectionId}/${src.partitions[0].partitionId}/${fr.segmentIds[0]}/`;
    const j = await dp.createImport(dst, '_default', [[seg]], { backup: 'true' });
    const { job } = await finish(dp, j.jobId);
    assert.equal(job.state, 'Failed');
    assert.equal(job.reason, 'no binlog for Timestamp field: importing data failed');
  });

  it('fails the job when the schema field ids do not match the binlog folders (Milvus reason)', async () => {
    const dp = await env.open('2.5.14');
    const src = collection('2.5.14', { shards: 1 });
    await dp.insert(src, undefined, rows(4));
    await dp.flush(src);
    const { base, segs } = await backup(dp, src, 'b2');
    const other = collection('2.5.14', {
      fields: [field(100, 'pk', 'Int64', { isPrimaryKey: true }), field(105, 'vector', 'FloatVector', { dim: 2 }), field(102, 'name', 'VarChar')],
    });
    const { job } = await restore(dp, src, other, base, segs);
    assert.equal(job.state, 'Failed');
    assert.equal(job.reason, 'no binlog for field:vector: importing data failed');
    assert.equal(await dp.count(other, ''), 0);
    assert.deepEqual(await dp.segments(other), []);
    // nullable / dynamic fields may be missing; extra binlog fields (103, 104, 101) are skipped
    const lenient = collection('2.5.14', {
      fields: [field(100, 'pk', 'Int64', { isPrimaryKey: true }), field(102, 'name', 'VarChar'), field(106, 'extra', 'Int32', { nullable: true })],
    });
    const r2 = await restore(dp, src, lenient, base, segs);
    assert.equal(r2.job.state, 'Completed', r2.job.reason);
    const got = await dp.query(lenient, { filter: 'pk == 2', outputFieldIds: [102, 106] });
    assert.equal(got[0].get(102), 'n1');
    assert.equal(got[0].get(106), null);
  });

  it('end_ts drops rows and deletes newer than the timestamp', async () => {
    const dp = await env.open('2.5.14');
    const src = collection('2.5.14', { shards: 1 });
    const a = await dp.insert(src, undefined, rows(3));
    const d = await dp.delete(src, undefined, 'pk == 1'); // after a, before b
    const b = await dp.insert(src, undefined, rows(3, 10n));
    await dp.flush(src);
    const { base, segs } = await backup(dp, src, 'b3');
    assert.ok(BigInt(a.timestamp) < BigInt(d.timestamp) && BigInt(d.timestamp) < BigInt(b.timestamp));
    const dst = collection('2.5.14', { shards: 1 });
    const r = await restore(dp, src, dst, base, segs, { end_ts: a.timestamp });
    assert.equal(r.job.state, 'Completed', r.job.reason);
    assert.equal(await dp.count(dst, ''), 3, 'rows of the later insert are cut');
    const l0 = segs.find((s) => s.level === 'L0')!;
    const j = await dp.createImport(dst, undefined, [[`${base}/delta_log/${src.collectionId}/-1/${l0.segmentId}/`]], { l0_import: 'true', end_ts: a.timestamp });
    assert.equal((await finish(dp, j.jobId)).job.state, 'Completed');
    assert.equal(await dp.count(dst, ''), 3, 'the delete is newer than end_ts');
    const j2 = await dp.createImport(dst, undefined, [[`${base}/delta_log/${src.collectionId}/-1/${l0.segmentId}/`]], { l0_import: 'true', end_ts: d.timestamp });
    assert.equal((await finish(dp, j2.jobId)).job.state, 'Completed');
    assert.equal(await dp.count(dst, ''), 2);
    await assert.rejects(dp.createImport(dst, '_default', [['x/']], { backup: 'true', end_ts: 'abc' }), /parse end_ts failed/);
  });

  it('several L0 prefixes in one job: failed before 2.6.5, accepted from 2.6.5', async () => {
    for (const [version, ok] of [['2.5.14', false], ['2.6.5', true]] as const) {
      const dp = await env.open(version);
      const src = collection(version, { shards: 1 });
      await dp.insert(src, undefined, rows(5));
      await dp.flush(src);
      await dp.delete(src, undefined, 'pk == 1');
      await dp.flush(src);
      await dp.delete(src, undefined, 'pk == 2');
      await dp.flush(src);
      const l0 = (await dp.segments(src)).filter((s) => s.level === 'L0');
      assert.equal(l0.length, 2);
      const files = l0.map((s) => [`${ROOT}/delta_log/${src.collectionId}/-1/${s.segmentId}/`]);
      const dst = collection(version, { shards: 1 });
      const j = await dp.createImport(dst, undefined, files, { l0_import: 'true' });
      const { job } = await finish(dp, j.jobId);
      if (ok) assert.equal(job.state, 'Completed', job.reason);
      else {
        assert.equal(job.state, 'Failed');
        assert.match(job.reason, /^there should be one prefix for l0 import, but got \[paths:".*" paths:".*"\]: importing data failed$/);
      }
    }
  });

  it('2.6: Uncommitted and Committing states; storage_version must match the binlogs', async () => {
    const dp = await env.open('2.6.9', { importStepMs: 60 });
    const src = collection('2.6.9', { shards: 1 });
    await dp.insert(src, undefined, rows(5));
    await dp.flush(src);
    const { base, segs } = await backup(dp, src, 'b4');
    const dst = collection('2.6.9', { shards: 1 });
    const r = await restore(dp, src, dst, base, segs, { storage_version: '2' });
    assert.equal(r.job.state, 'Completed', r.job.reason);
    assert.ok(r.seen.has('Uncommitted') && r.seen.has('Committing'), [...r.seen].join());
    assert.equal(await dp.count(dst, ''), 5);
    const dst2 = collection('2.6.9', { shards: 1 });
    const r2 = await restore(dp, src, dst2, base, segs);
    assert.equal(r2.job.state, 'Failed');
    assert.match(r2.job.reason, /storage version/);
  });

  it('dropping the target collection fails a running job ("collection <id> dropped")', async () => {
    const dp = await env.open('2.5.14', { importStepMs: 80 });
    const src = collection('2.5.14', { shards: 1 });
    await dp.insert(src, undefined, rows(3));
    await dp.flush(src);
    const dst = collection('2.5.14', { shards: 1 });
    const j = await dp.createImport(dst, '_default', [[`${ROOT}/insert_log/${src.collectionId}/${src.partitions[0].partitionId}/`]], { backup: 'true' });
    await dp.dropCollection(dst);
    const { job } = await finish(dp, j.jobId);
    assert.equal(job.state, 'Failed');
    assert.equal(job.reason, `collection ${dst.collectionId} dropped`);
  });

  it('rejects requests as Milvus does before a job exists', async () => {
    const dp = await env.open('2.5.14', { maxImportFileNumPerReq: 2 });
    const src = collection('2.5.14', { shards: 1 });
    await dp.insert(src, undefined, rows(2));
    await dp.flush(src);
    const p = `${ROOT}/insert_log/${src.collectionId}/${src.partitions[0].partitionId}/`;
    const dst = collection('2.5.14', { shards: 1 });
    await assert.rejects(dp.createImport(dst, undefined, [[p]], { backup: 'true' }), (e: unknown) => e instanceof DataPlaneError && e.message === 'partition not specified: invalid parameter' && e.code === 1100);
    await assert.rejects(dp.createImport(dst, 'nope', [[p]], { backup: 'true' }), /partition not found/);
    await assert.rejects(dp.createImport(dst, '_default', [[p], [p], [p]], { backup: 'true' }), /The max number of import files should not exceed 2, but got 3: importing data failed/);
    await assert.rejects(dp.createImport(dst, '_default', [['nothing/here/']], { backup: 'true' }), /no binlog to import/);
    await assert.rejects(dp.createImport(dst, '_default', [[p, p, p]], { backup: 'true' }), /too many input paths for binlog import/);
    await assert.rejects(dp.createImport(dst, '_default', [], { backup: 'true' }), /import request is empty/);
  });

  it('autoID keys are re-allocated on import unless allow_insert_auto_id is set', async () => {
    const dp = await env.open('2.5.14');
    const src = collection('2.5.14', { shards: 1, autoID: true });
    const ins = await dp.insert(src, undefined, rows(3).map((r) => (r.delete(100), r)));
    await dp.flush(src);
    const { base, segs } = await backup(dp, src, 'b5');
    const dst = collection('2.5.14', { shards: 1, autoID: true });
    assert.equal((await restore(dp, src, dst, base, segs)).job.state, 'Completed');
    const got = (await dp.query(dst, { filter: '', outputFieldIds: [] })).map((r) => String(r.get(100)));
    assert.equal(got.length, 3);
    assert.ok(got.every((pk) => !ins.ids.includes(pk)));
    const keep = { ...collection('2.5.14', { shards: 1, autoID: true }), properties: { allow_insert_auto_id: 'true' } };
    assert.equal((await restore(dp, src, keep, base, segs)).job.state, 'Completed');
    const kept = (await dp.query(keep, { filter: '', outputFieldIds: [] })).map((r) => String(r.get(100))).sort();
    assert.deepEqual(kept, [...ins.ids].sort());
  });
});
