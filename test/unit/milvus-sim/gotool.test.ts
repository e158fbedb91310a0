/**
 * The conversation the Go milvus-backup has with Milvus (Go `core/backup/task.go` through `coll_dml_task.go`), replayed over raw gRPC with the
 * database only in the `dbname` header, as that tool sends it; then the collection-level GC ticket (2.6.8)
 * protecting a collection's dropped segments from GC until resumed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startEnv, listKeys, rawClient, rawCall, rest, rows, simpleFields, waitFor } from './helpers';

test('backup discovery with the db in the header only: describe, index, load progress, partitions, flush, segments, REST binlogs', async () => {
  const env = await startEnv({ version: 'v2.5.14', user: 'root', password: 'Milvus' });
  try {
    const sim = env.sims[0];
    const c = env.client(sim, { username: 'root', password: 'Milvus' });
    await c.createDatabase({ db_name: 'prod' });
    await c.createCollection({ db_name: 'prod', collection_name: 'items', fields: simpleFields() });
    await c.insert({ db_name: 'prod', collection_name: 'items', data: rows(0, 6).map(({ color: _c, ...r }) => r) });

    const raw = rawClient(sim.address);
    const conn = await rawCall(raw, 'Connect', { client_info: { sdk_type: 'BackupToolCustomSDK', sdk_version: 'v0.5.16', user: 'root' } }, { authorization: Buffer.from('root:Milvus').toString('base64') });
    const md = { authorization: Buffer.from('root:Milvus').toString('base64'), identifier: conn.identifier, dbname: 'prod' };
    assert.deepEqual((await rawCall(raw, 'ListDatabases', {}, md)).db_names, ['default', 'prod']);
    const db = await rawCall(raw, 'DescribeDatabase', { db_name: 'prod' }, md);
    assert.match(db.dbID, /^\d+$/);
    assert.deepEqual((await rawCall(raw, 'ShowCollections', {}, md)).collection_names, ['items']);
    assert.equal((await rawCall(raw, 'HasCollection', { collection_name: 'items' }, md)).value, true);
    const d = await rawCall(raw, 'DescribeCollection', { collection_name: 'items' }, md);
    assert.equal(d.db_name, 'prod');
    assert.equal(d.db_id, db.dbID);
    assert.equal((await rawCall(raw, 'DescribeIndex', { collection_name: 'items' }, md)).status.error_code, 'IndexNotExist');
    assert.equal((await rawCall(raw, 'GetLoadingProgress', { collection_name: 'items' }, md)).progress, '0');
    const parts = await rawCall(raw, 'ShowPartitions', { collection_name: 'items' }, md);
    assert.deepEqual(parts.partition_names, ['_default']);

    const fl = await rawCall(raw, 'Flush', { collection_names: ['items'] }, md);
    assert.equal(fl.status.error_code, 'Success');
    assert.equal(fl.db_name, 'prod');
    const segIds = fl.coll_segIDs.items.data;
    assert.ok(segIds.length >= 1);
    assert.match(fl.coll_flush_ts.items, /^\d+$/);
    assert.equal(Object.keys(fl.channel_cps).length, 1, 'one checkpoint per vchannel');
    const cp = Object.values(fl.channel_cps)[0] as { channel_name: string; timestamp: string };
    assert.equal(cp.channel_name, d.virtual_channel_names[0]);
    await waitFor(
      () => rawCall(raw, 'GetFlushState', { segmentIDs: segIds, flush_ts: fl.coll_flush_ts.items, collection_name: 'items' }, md),
      (x) => x.flushed === true,
    );
    const infos = (await rawCall(raw, 'GetPersistentSegmentInfo', { collectionName: 'items' }, md)).infos;
    assert.equal(infos.reduce((n: number, s: { num_rows: string }) => n + Number(s.num_rows), 0), 6);
    assert.ok(infos.every((s: { level: string; state: string }) => s.level === 'L1' && s.state === 'Flushed'));
    raw.close();

    const seg = await rest(
      sim.address,
      'segments/describe',
      `{"dbName":"prod","collectionId":${d.collectionID},"segmentIds":[${infos[0].segmentID}]}`,
      { Authorization: 'Bearer root:Milvus' },
    );
    assert.equal(seg.json.code, 0, seg.text);
    assert.equal(seg.json.data.segmentInfos[0].vChannel, d.virtual_channel_names[0]);
    const wrongDb = await rest(sim.address, 'segments/describe', `{"dbName":"default","collectionId":${d.collectionID},"segmentIds":[]}`, { Authorization: 'Bearer root:Milvus' });
    assert.equal(wrongDb.json.code, 100);
  } finally {
    await env.stop();
  }
});

test('2.6.8: a collection GC ticket keeps dropped segments’ binlogs until resumed with that ticket', async () => {
  const env = await startEnv({ version: 'v2.6.8', dataPlaneOptions: { maxRowsPerSegment: 4 } });
  try {
    const sim = env.sims[0];
    const c = env.client(sim);
    await c.createCollection({ collection_name: 'c', fields: simpleFields() });
    for (let i = 0; i < 2; i++) {
      await c.insert({ collection_name: 'c', data: rows(i * 4, i * 4 + 4).map(({ color: _c, ...r }) => r) });
      await c.flushSync({ collection_names: ['c'] });
    }
    const id = (await c.describeCollection({ collection_name: 'c' })).collectionID;
    const pause = await fetch(`${sim.managementUrl}/management/datacoord/garbage_collection/pause?pause_seconds=600&collection_id=${id}`);
    const ticket = ((await pause.json()) as { data: { ticket: string } }).data.ticket;
    const comp = (await (await fetch(`${sim.managementUrl}/sim/compact?collection_id=${id}`, { method: 'POST' })).json()) as { merged: string[] };
    assert.ok(comp.merged.length >= 2);
    const gc1 = (await (await fetch(`${sim.managementUrl}/sim/gc`, { method: 'POST' })).json()) as { deletedKeys: string[] };
    assert.deepEqual(gc1.deletedKeys, []);
    const kept = await listKeys(env.s3, 'milvus-a', `files/insert_log/${id}/`);
    for (const s of comp.merged) assert.ok(kept.some((k) => k.includes(`/${s}/`)));
    await fetch(`${sim.managementUrl}/management/datacoord/garbage_collection/resume?ticket=${encodeURIComponent(ticket)}`);
    const gc2 = (await (await fetch(`${sim.managementUrl}/sim/gc`, { method: 'POST' })).json()) as { deletedKeys: string[] };
    assert.ok(gc2.deletedKeys.length > 0);
  } finally {
    await env.stop();
  }
});
