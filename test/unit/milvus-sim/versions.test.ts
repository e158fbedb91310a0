/**
 * `--version` decides what exists, as in Milvus releases: DescribeDatabase from 2.4.3, REST v2 from 2.4,
 * segments/describe from 2.5.8, per-collection GC tickets from 2.6.8, FlushAll from 2.6.11, storage v2 and
 * two-phase import in 2.6. Missing RPCs answer gRPC UNIMPLEMENTED (the SDK's retry interceptor then hands its
 * caller `{}`), missing REST routes 404.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { startEnv, rawClient, rawCall, rest, rows, simpleFields, waitFor } from './helpers';

test('2.3: no DescribeDatabase/FlushAll/BackupRBAC (UNIMPLEMENTED), no REST v2 (404)', async () => {
  const env = await startEnv({ version: 'v2.3.22' });
  try {
    const sim = env.sims[0];
    const raw = rawClient(sim.address);
    for (const m of ['DescribeDatabase', 'FlushAll', 'GetFlushAllState', 'BackupRBAC', 'AddCollectionField']) {
      await assert.rejects(rawCall(raw, m, {}), (e: grpc.ServiceError) => e.code === grpc.status.UNIMPLEMENTED, m);
    }
    assert.deepEqual((await rawCall(raw, 'ListDatabases', {})).db_names, ['default'], 'ListDatabases exists since 2.2.9');
    raw.close();
    const c = env.client(sim);
    const viaSdk = await c.describeDatabase({ db_name: 'default' });
    assert.equal(viaSdk.db_name, undefined, 'the SDK turns UNIMPLEMENTED into an empty answer');
    assert.equal((await rest(sim.address, 'collections/list', {})).status, 404);
    assert.equal((await rest(sim.address, 'segments/describe', {})).status, 404);
  } finally {
    await env.stop();
  }
});

test('2.4.5: DescribeDatabase and REST v2, but no segments/describe (2.5.8)', async () => {
  const env = await startEnv({ version: 'v2.4.5' });
  try {
    const sim = env.sims[0];
    const c = env.client(sim);
    assert.equal((await c.describeDatabase({ db_name: 'default' })).db_name, 'default');
    assert.equal((await rest(sim.address, 'collections/list', {})).json.code, 0);
    assert.equal((await rest(sim.address, 'segments/describe', { collectionId: 1, segmentIds: [] })).status, 404);
  } finally {
    await env.stop();
  }
});

test('2.6.8: collection-level GC pause answers a ticket; resume by ticket', async () => {
  const env = await startEnv({ version: 'v2.6.8' });
  try {
    const sim = env.sims[0];
    const c = env.client(sim);
    await c.createCollection({ collection_name: 'c', fields: simpleFields() });
    const id = (await c.describeCollection({ collection_name: 'c' })).collectionID;
    const p = await fetch(`${sim.managementUrl}/management/datacoord/garbage_collection/pause?pause_seconds=600&collection_id=${id}`);
    const body = (await p.json()) as { msg: string; data: { ticket: string } };
    assert.equal(body.msg, 'OK');
    assert.ok(body.data.ticket.length > 0);
    const r = await fetch(`${sim.managementUrl}/management/datacoord/garbage_collection/resume?ticket=${encodeURIComponent(body.data.ticket)}`);
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { msg: 'OK' });
  } finally {
    await env.stop();
  }
});

test('2.6.11: FlushAll returns flush_all_msgs per pchannel (base-36 _tt) and GetFlushAllState turns true; segments use storage v2', async () => {
  const env = await startEnv({ version: 'v2.6.11' });
  try {
    const sim = env.sims[0];
    const c = env.client(sim);
    await c.createCollection({ collection_name: 'c', fields: simpleFields() });
    await c.insert({ collection_name: 'c', data: rows(0, 10).map(({ color: _c, ...r }) => r) });
    const raw = rawClient(sim.address);
    const fa = await rawCall(raw, 'FlushAll', {});
    assert.equal(fa.status.error_code, 'Success');
    assert.match(fa.flush_all_ts, /^\d+$/);
    assert.equal(fa.cluster_info.pchannels.length, 16);
    const tss: Record<string, string> = {};
    for (const [pch, msg] of Object.entries(fa.flush_all_msgs as Record<string, { properties: Record<string, string> }>)) {
      // message.DecodeUint64: base 36, exact (beyond 2^53)
      const tt = [...msg.properties._tt].reduce((a, ch) => a * 36n + BigInt(parseInt(ch, 36)), 0n);
      assert.ok(tt >= BigInt(fa.flush_all_ts) || tt > 2n ** 53n);
      tss[pch] = tt.toString();
    }
    const st = await waitFor(() => rawCall(raw, 'GetFlushAllState', { flush_all_tss: tss }), (x) => x.flushed === true);
    assert.equal(st.status.error_code, 'Success');
    raw.close();
    const segs = (await c.getPersistentSegmentInfo({ collectionName: 'c' })).infos;
    assert.ok(segs.length >= 1);
    assert.ok(segs.every((s) => String(s.storage_version) === '2'));
  } finally {
    await env.stop();
  }
});
