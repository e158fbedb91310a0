/**
 * The "done when" round trip, driven with the official SDK: insert → delete → flush → binlogs in S3
 * under Milvus's keys → import of those prefixes with backup:true (and the L0 deletes with l0_import) into a
 * new collection → the query returns the same rows. Plus REST segments/describe and import jobs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startEnv, listKeys, rawClient, rawCall, rest, rows, simpleFields, waitFor } from './helpers';
import type { MilvusClient } from '@zilliz/milvus2-sdk-node';

async function loadAndQueryAll(c: MilvusClient, name: string) {
  const idx = await c.describeIndex({ collection_name: name });
  if (idx.status.code === 700) await c.createIndex({ collection_name: name, field_name: 'vec', index_type: 'AUTOINDEX', metric_type: 'L2' });
  await c.loadCollectionSync({ collection_name: name });
  const q = await c.query({ collection_name: name, filter: 'id >= 0', output_fields: ['id', 'vec', 'title', 'color'] });
  assert.equal(q.status.error_code, 'Success', q.status.reason);
  return q.data.sort((a, b) => Number(a.id) - Number(b.id));
}

async function waitImport(c: MilvusClient, task: string) {
  return waitFor(
    () => c.getImportState({ task } as never),
    (s) => s.state === 'ImportCompleted' || s.state === 'ImportFailed',
  );
}

for (const version of ['v2.5.14', 'v2.3.22']) {
  test(`round trip through binlogs and a backup import (${version})`, async () => {
    const env = await startEnv({ version });
    try {
      const sim = env.sims[0];
      const c = env.client(sim);
      await c.createCollection({ collection_name: 'src', enable_dynamic_field: true, fields: simpleFields() });
      const ins = await c.insert({ collection_name: 'src', data: rows(0, 20) });
      assert.equal(ins.status.error_code, 'Success', ins.status.reason);
      assert.equal(ins.insert_cnt, '20');
      const del = await c.delete({ collection_name: 'src', filter: 'id in [3, 7]' });
      assert.equal(del.status.error_code, 'Success', del.status.reason);
      const fl = await c.flush({ collection_names: ['src'] });
      assert.equal(fl.status.error_code, 'Success');
      const segIds = (fl.coll_segIDs as Record<string, { data: string[] }>).src.data;
      await waitFor(() => c.getFlushState({ segmentIDs: segIds } as never), (s) => s.flushed === true);

      const d = await c.describeCollection({ collection_name: 'src' });
      const collId = d.collectionID;
      // int64s arrive as strings and enums as names (longs/enums: String), whatever the SDK's types say
      type Seg = { segmentID: string; partitionID: string; num_rows: string; level: string };
      const segs = (await c.getPersistentSegmentInfo({ collectionName: 'src' })).infos as unknown as Seg[];
      const data = segs.filter((s) => s.level !== 'L0');
      const l0 = segs.filter((s) => s.level === 'L0');
      assert.ok(data.length >= 1);
      assert.equal(data.reduce((n, s) => n + Number(s.num_rows), 0), 20);
      if (version.startsWith('v2.3')) {
        assert.equal(l0.length, 0, 'no L0 before 2.4');
        assert.ok(data.every((s) => s.level === 'Legacy'));
      } else {
        assert.equal(l0.length, 1, 'deletes go to an L0 segment from 2.4');
        assert.equal(l0[0].partitionID, '-1');
      }

      // binlogs under Milvus's keys: insert_log/<coll>/<part>/<seg>/<field>/<log>, one file per field (0, 1, 100…, $meta)
      const keys = await listKeys(env.s3, 'milvus-a', `files/insert_log/${collId}/`);
      const fields = new Set(keys.map((k) => k.split('/')[5]));
      assert.deepEqual([...fields].sort((a, b) => Number(a) - Number(b)), ['0', '1', '100', '101', '102', '103']);
      for (const k of keys) assert.match(k, new RegExp(`^files/insert_log/${collId}/\\d+/\\d+/\\d+/\\d+$`));
      const deltaKeys = await listKeys(env.s3, 'milvus-a', `files/delta_log/${collId}/`);
      assert.ok(deltaKeys.length >= 1);
      for (const k of deltaKeys) assert.match(k, new RegExp(`^files/delta_log/${collId}/-?\\d+/\\d+/\\d+$`));

      const original = await loadAndQueryAll(c, 'src');
      assert.equal(original.length, 18);

      // restore into a new collection of the same schema, from the segment prefixes
      await c.createCollection({ collection_name: 'dst', enable_dynamic_field: true, fields: simpleFields() });
      // Milvus lists a backup import's insert prefix one level deep and takes each child as a segment
      // (datacoord ListBinlogsAndGroupBySegment), so the prefix is the partition dir of Milvus's own layout.
      for (const part of new Set(data.map((s) => s.partitionID))) {
        const ins = `files/insert_log/${collId}/${part}/`;
        const delta = `files/delta_log/${collId}/${part}/`;
        const hasDelta = deltaKeys.some((k) => k.startsWith(delta));
        const job = await c.bulkInsert({
          collection_name: 'dst',
          partition_name: '_default',
          files: [ins, hasDelta ? delta : ''],
          options: [
            { key: 'backup', value: 'true' },
            { key: 'skip_disk_quota_check', value: 'true' },
          ],
        });
        assert.equal(job.status.error_code, 'Success', job.status.reason);
        const st = await waitImport(c, String(job.tasks[0]));
        assert.equal(st.state, 'ImportCompleted', JSON.stringify(st.infos));
      }
      for (const s of l0) {
        const job = await c.bulkInsert({
          collection_name: 'dst',
          files: [`files/delta_log/${collId}/-1/${s.segmentID}/`],
          options: [{ key: 'l0_import', value: 'true' }],
        });
        assert.equal(job.status.error_code, 'Success', job.status.reason);
        assert.equal((await waitImport(c, String(job.tasks[0]))).state, 'ImportCompleted');
      }
      const restored = await loadAndQueryAll(c, 'dst');
      assert.deepEqual(restored, original);
      const listed = await c.listImportTasks({ collection_name: 'dst' });
      assert.ok((listed as unknown as { tasks: unknown[] }).tasks.length >= 1);

      const cnt = await c.count({ collection_name: 'dst' });
      assert.equal(cnt.data, 18);
      const stats = await c.getCollectionStatistics({ collection_name: 'src' });
      assert.equal(stats.data.row_count, '20', 'row_count counts inserted rows, as Milvus statistics do (deletes not subtracted)');
    } finally {
      await env.stop();
    }
  });
}

test('REST segments/describe (2.5.8+) lists the binlog ids of each segment; REST import jobs', async () => {
  const env = await startEnv({ version: 'v2.5.14' });
  try {
    const sim = env.sims[0];
    const c = env.client(sim);
    await c.createCollection({ collection_name: 'src', fields: simpleFields() });
    await c.insert({ collection_name: 'src', data: rows(0, 5).map(({ color: _c, ...r }) => r) });
    await c.flushSync({ collection_names: ['src'] });
    const d = await c.describeCollection({ collection_name: 'src' });
    const segs = (await c.getPersistentSegmentInfo({ collectionName: 'src' })).infos;
    // ids beyond 2^53 go out as JSON numbers, exactly (Go encoding/json)
    const body = `{"dbName":"default","collectionId":${d.collectionID},"segmentIds":[${segs.map((s) => s.segmentID).join(',')}]}`;
    const r = await rest(sim.address, 'segments/describe', body);
    assert.equal(r.json.code, 0, r.text);
    const info = r.json.data.segmentInfos[0];
    assert.deepEqual(Object.keys(info).sort(), ['collectionID', 'deltaLogs', 'insertLogs', 'isSorted', 'level', 'numRows', 'partitionID', 'segmentID', 'state', 'statsLogs', 'vChannel']);
    assert.equal(info.numRows, 5);
    assert.equal(info.state, 4, 'Flushed');
    assert.equal(info.level, 2, 'L1');
    assert.ok(r.text.includes(`"segmentID":${segs[0].segmentID}`), 'raw int64 in the JSON text');
    assert.deepEqual(info.insertLogs.map((l: { fieldID: number }) => l.fieldID), [0, 1, 100, 101, 102]);
    const keys = await listKeys(env.s3, 'milvus-a', `files/insert_log/${d.collectionID}/`);
    const logIdsInText = [...r.text.matchAll(/"logIDs":\[([\d,]+)\]/g)].flatMap((m) => m[1].split(','));
    for (const id of logIdsInText) assert.ok(keys.some((k) => k.endsWith(`/${id}`)), `log ${id} exists in S3`);
    assert.equal((await rest(sim.address, 'segments/describe', { dbName: 'default', collectionId: 1, segmentIds: [1] })).json.code, 100);

    // REST import into a new collection (what --use_v2_restore does)
    await c.createCollection({ collection_name: 'dst', fields: simpleFields() });
    const s = segs[0];
    const create = await rest(sim.address, 'jobs/import/create', {
      collectionName: 'dst',
      partitionName: '_default',
      files: [[`files/insert_log/${d.collectionID}/${s.partitionID}/`]],
      options: { backup: 'true' },
    });
    assert.equal(create.json.code, 0, create.text);
    const jobId = create.json.data.jobId;
    assert.match(jobId, /^\d+$/);
    const done = await waitFor(
      () => rest(sim.address, 'jobs/import/describe', { jobId }),
      (x) => ['Completed', 'Failed'].includes(x.json.data.state),
    );
    assert.equal(done.json.data.state, 'Completed', done.text);
    assert.equal(done.json.data.progress, 100);
    const prog = await rest(sim.address, 'jobs/import/get_progress', { jobId });
    assert.equal(prog.json.data.state, 'Completed');
    const list = await rest(sim.address, 'jobs/import/list', { collectionName: 'dst' });
    assert.equal(list.json.data.records[0].jobId, jobId);
    const bad = await rest(sim.address, 'jobs/import/create', { collectionName: 'nope', files: [['x/']], options: { backup: 'true' } });
    assert.equal(bad.json.code, 100);
  } finally {
    await env.stop();
  }
});

test('import request checks of the proxy (task_import.go PreExecute)', async () => {
  const env = await startEnv({ version: 'v2.5.14' });
  try {
    const sim = env.sims[0];
    const c = env.client(sim);
    await c.createCollection({ collection_name: 'c', fields: simpleFields() });
    const raw = rawClient(sim.address);
    const noPart = await rawCall(raw, 'Import', { collection_name: 'c', files: ['a/', ''], options: [{ key: 'backup', value: 'true' }] });
    assert.equal(noPart.status.code, 1100, 'backup import needs a partition name');
    const badPart = await rawCall(raw, 'Import', { collection_name: 'c', partition_name: 'zz', files: ['a/'], options: [{ key: 'backup', value: 'true' }] });
    assert.equal(badPart.status.code, 200);
    await c.createIndex({ collection_name: 'c', field_name: 'vec', index_type: 'AUTOINDEX', metric_type: 'L2' });
    await c.loadCollectionSync({ collection_name: 'c' });
    const l0Loaded = await rawCall(raw, 'Import', { collection_name: 'c', files: ['d/'], options: [{ key: 'l0_import', value: 'true' }] });
    assert.equal(l0Loaded.status.code, 2100);
    assert.match(l0Loaded.status.reason, /collection cannot be loaded/);
    const tooMany = await rest(sim.address, 'jobs/import/create', {
      collectionName: 'c',
      partitionName: '_default',
      files: Array.from({ length: 1025 }, (_, i) => [`p${i}/`]),
      options: { backup: 'true' },
    });
    assert.equal(tooMany.json.code, 2100);
    raw.close();
  } finally {
    await env.stop();
  }
});
