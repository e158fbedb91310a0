/**
 * Fault injection (issue 5 item 8) and the hazards a backup tool exists for (item 5): compaction drops
 * segments and GC deletes their binlogs unless GC is paused through the management API.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { startEnv, listKeys, rawClient, rawCall, rest, rows, simpleFields, waitFor } from './helpers';

async function post(url: string, body?: unknown) {
  const r = await fetch(url, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.status, json: (await r.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

test('the next N calls of an RPC fail with rate limit / unavailable, then calls succeed again', async () => {
  const env = await startEnv();
  try {
    const sim = env.sims[0];
    const c = env.client(sim);
    await c.createCollection({ collection_name: 'c', fields: simpleFields() });
    const set = await post(`${sim.managementUrl}/sim/faults`, [
      { method: 'Flush', count: 2, error: 'rate limit exceeded' },
      { method: 'DescribeCollection', count: 1, error: 'unavailable' },
    ]);
    assert.equal(set.status, 200);
    const raw = rawClient(sim.address);
    for (let i = 0; i < 2; i++) {
      const f = await rawCall(raw, 'Flush', { collection_names: ['c'] });
      assert.equal(f.status.code, 8);
      assert.equal(f.status.error_code, 'RateLimit');
      assert.match(f.status.reason, /rate limit exceeded/);
      assert.equal(f.status.retriable, true);
    }
    assert.equal((await rawCall(raw, 'Flush', { collection_names: ['c'] })).status.error_code, 'Success');
    const d = await rawCall(raw, 'DescribeCollection', { collection_name: 'c' });
    assert.equal(d.status.code, 2);
    assert.equal((await rawCall(raw, 'DescribeCollection', { collection_name: 'c' })).status.code, 0);

    await post(`${sim.managementUrl}/sim/faults`, { method: 'GetVersion', count: 1, error: 'grpc-unavailable' });
    await assert.rejects(rawCall(raw, 'GetVersion', {}), (e: grpc.ServiceError) => e.code === grpc.status.UNAVAILABLE);

    await post(`${sim.managementUrl}/sim/faults`, { method: 'GetVersion', count: 1, delayMs: 300 });
    const t0 = Date.now();
    await rawCall(raw, 'GetVersion', {});
    assert.ok(Date.now() - t0 >= 280, 'slowed down');

    await post(`${sim.managementUrl}/sim/faults`, { method: 'segments/describe', count: 1, error: 'rate limit exceeded' });
    assert.equal((await rest(sim.address, 'segments/describe', { collectionId: 1, segmentIds: [] })).json.code, 8);
    raw.close();
  } finally {
    await env.stop();
  }
});

test('import-failed: Import is refused, or a running job reports Failed to GetImportState', async () => {
  const env = await startEnv();
  try {
    const sim = env.sims[0];
    const c = env.client(sim);
    await c.createCollection({ collection_name: 'c', fields: simpleFields() });
    await post(`${sim.managementUrl}/sim/faults`, { method: 'Import', count: 1, error: 'import-failed' });
    const raw = rawClient(sim.address);
    const imp = await rawCall(raw, 'Import', { collection_name: 'c', files: ['x/', ''], options: [{ key: 'backup', value: 'true' }] });
    assert.equal(imp.status.code, 2100);
    await c.insert({ collection_name: 'c', data: rows(0, 3).map(({ color: _c, ...r }) => r) });
    await c.flushSync({ collection_names: ['c'] });
    const id = (await c.describeCollection({ collection_name: 'c' })).collectionID;
    const part = (await c.showPartitions({ collection_name: 'c' })).partitionIDs[0];
    await post(`${sim.managementUrl}/sim/faults`, { method: 'GetImportState', count: 1, error: 'import-failed' });
    const job = await rawCall(raw, 'Import', { collection_name: 'c', partition_name: '_default', files: [`files/insert_log/${id}/${part}/`, ''], options: [{ key: 'backup', value: 'true' }] });
    assert.equal(job.status.error_code, 'Success', job.status.reason);
    const st = await rawCall(raw, 'GetImportState', { task: job.tasks[0] });
    assert.equal(st.state, 'ImportFailed');
    assert.ok(st.infos.some((kv: { key: string; value: string }) => kv.key === 'failed_reason' && /simulated/.test(kv.value)));
    raw.close();
  } finally {
    await env.stop();
  }
});

test('compaction drops source segments; GC deletes their binlogs unless paused (cluster pause before 2.6.8)', async () => {
  const env = await startEnv({ version: 'v2.5.14', dataPlaneOptions: { maxRowsPerSegment: 5 } });
  try {
    const sim = env.sims[0];
    const c = env.client(sim);
    await c.createCollection({ collection_name: 'c', fields: simpleFields() });
    for (let i = 0; i < 3; i++) {
      await c.insert({ collection_name: 'c', data: rows(i * 5, i * 5 + 5).map(({ color: _c, ...r }) => r) });
      await c.flushSync({ collection_names: ['c'] });
    }
    const id = (await c.describeCollection({ collection_name: 'c' })).collectionID;
    const before = (await c.getPersistentSegmentInfo({ collectionName: 'c' })).infos.map((s) => s.segmentID);
    assert.ok(before.length >= 2, `several flushed segments (${before.length})`);
    const keysBefore = await listKeys(env.s3, 'milvus-a', `files/insert_log/${id}/`);

    // pause GC, compact, run GC: the old binlogs survive
    const p = await fetch(`${sim.managementUrl}/management/datacoord/garbage_collection/pause?pause_seconds=600`);
    assert.equal(p.status, 200);
    const comp = await post(`${sim.managementUrl}/sim/compact?collection_id=${id}`);
    assert.equal(comp.status, 200);
    assert.ok(comp.json.merged.length >= 2);
    const after = (await c.getPersistentSegmentInfo({ collectionName: 'c' })).infos.map((s) => s.segmentID);
    assert.ok(!after.some((s) => comp.json.merged.includes(s)), 'merged segments are no longer listed');
    const gc1 = await post(`${sim.managementUrl}/sim/gc`);
    assert.deepEqual(gc1.json.deletedKeys, []);
    const kept = await listKeys(env.s3, 'milvus-a', `files/insert_log/${id}/`);
    for (const k of keysBefore) assert.ok(kept.includes(k), `still there while paused: ${k}`);

    // resume: GC removes the dropped segments' files — what a backup that forgot to pause would lose
    await fetch(`${sim.managementUrl}/management/datacoord/garbage_collection/resume`);
    const gc2 = await post(`${sim.managementUrl}/sim/gc`);
    assert.ok(gc2.json.deletedKeys.length > 0);
    const left = await listKeys(env.s3, 'milvus-a', `files/insert_log/${id}/`);
    for (const s of comp.json.merged as string[]) assert.ok(!left.some((k) => k.includes(`/${s}/`)), `segment ${s} files deleted`);

    // ManualCompaction over gRPC as well
    const raw = rawClient(sim.address);
    const mc = await rawCall(raw, 'ManualCompaction', { collectionID: id });
    assert.equal(mc.status.error_code, 'Success');
    const cs = await waitFor(() => rawCall(raw, 'GetCompactionState', { compactionID: mc.compactionID }), (x) => x.state === 'Completed');
    assert.equal(cs.state, 'Completed');
    raw.close();
    await c.createIndex({ collection_name: 'c', field_name: 'vec', index_type: 'AUTOINDEX', metric_type: 'L2' });
    await c.loadCollectionSync({ collection_name: 'c' });
    assert.equal((await c.count({ collection_name: 'c' })).data, 15, 'compaction keeps every row');
  } finally {
    await env.stop();
  }
});
