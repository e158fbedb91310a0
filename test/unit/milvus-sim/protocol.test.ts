/**
 * The wire: gRPC and REST on one port, in-band statuses, Connect's identifier and build tags, the `dbname`
 * header, authentication, and the management port.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { startEnv, rawClient, rawCall, rest, simpleFields } from './helpers';

test('gRPC and REST share one port; Connect/GetVersion/CheckHealth answer as Milvus', async () => {
  const env = await startEnv({ version: 'v2.5.14' });
  try {
    const sim = env.sims[0];
    const c = env.client(sim);
    const v = (await c.getVersion()) as unknown as { version: string; status: { error_code: string } };
    assert.equal(v.version, 'v2.5.14');
    assert.equal(v.status.error_code, 'Success');
    const h = await c.checkHealth();
    assert.equal(h.isHealthy, true);

    const raw = rawClient(sim.address);
    const conn = await rawCall(raw, 'Connect', { client_info: { sdk_type: 'test', sdk_version: '1', user: 'u' } });
    assert.equal(conn.status.error_code, 'Success');
    assert.equal(conn.server_info.build_tags, 'v2.5.14');
    assert.match(conn.identifier, /^\d+$/);
    assert.ok(BigInt(conn.identifier) > 2n ** 53n, 'ids come from a TSO-like allocator far above 2^53');
    raw.close();

    const r = await rest(sim.address, 'collections/list', { dbName: 'default' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { code: 0, data: [] });
    const notFound = await rest(sim.address, 'no/such/route', {});
    assert.equal(notFound.status, 404);
  } finally {
    await env.stop();
  }
});

test('errors are in-band with both error_code and code, as merr.Status builds them', async () => {
  const env = await startEnv();
  try {
    const c = env.client(env.sims[0]);
    const d = await c.describeCollection({ collection_name: 'missing' });
    // proxy describeCollectionTask keeps code 100 but reports UnexpectedError ("compatibility with PyMilvus")
    assert.equal(d.status.error_code, 'UnexpectedError');
    assert.equal(d.status.code, 100);
    assert.match(d.status.reason, /can't find collection\[database=.*\]\[collection=missing\]/);
    const gone = await c.getLoadState({ collection_name: 'missing' });
    assert.equal(gone.status.error_code, 'CollectionNotExists', 'elsewhere merr.oldCode maps 100 to CollectionNotExists');
    const has = await c.hasCollection({ collection_name: 'missing' });
    assert.equal(has.value, false);

    await c.createCollection({ collection_name: 'c', fields: simpleFields() });
    const idx = await c.describeIndex({ collection_name: 'c' });
    assert.equal(idx.status.error_code, 'IndexNotExist');
    assert.equal(idx.status.code, 700);

    // the SDK's createCollection rejects with the failed status
    await assert.rejects(c.createCollection({ collection_name: '1bad', fields: simpleFields() }), (e: { error_code: string; code: number }) => {
      assert.equal(e.error_code, 'IllegalArgument');
      assert.equal(e.code, 1100);
      return true;
    });

    const prog = await c.getLoadingProgress({ collection_name: 'c' });
    assert.equal(prog.status.code, 101, 'QueryCoord answers "collection not loaded" for a released collection');
    assert.equal(prog.progress, '0');
  } finally {
    await env.stop();
  }
});

test('the dbname metadata header selects the database when db_name is empty (what the Go tool sends)', async () => {
  const env = await startEnv();
  try {
    const sim = env.sims[0];
    const c = env.client(sim);
    assert.equal((await c.createDatabase({ db_name: 'db1' })).error_code, 'Success');
    assert.equal((await c.createCollection({ db_name: 'db1', collection_name: 'in_db1', fields: simpleFields() })).error_code, 'Success');
    const raw = rawClient(sim.address);
    const viaHeader = await rawCall(raw, 'ShowCollections', {}, { dbname: 'db1' });
    assert.deepEqual(viaHeader.collection_names, ['in_db1']);
    const viaDefault = await rawCall(raw, 'ShowCollections', {});
    assert.deepEqual(viaDefault.collection_names, []);
    const fieldWins = await rawCall(raw, 'HasCollection', { db_name: 'db1', collection_name: 'in_db1' }, { dbname: 'default' });
    assert.equal(fieldWins.value, true);
    const missingDb = await rawCall(raw, 'ShowCollections', {}, { dbname: 'nope' });
    assert.equal(missingDb.status.code, 800);
    raw.close();
  } finally {
    await env.stop();
  }
});

test('with a user configured, gRPC needs authorization=base64(user:password) and REST a bearer token', async () => {
  const env = await startEnv({ user: 'root', password: 'Milvus' });
  try {
    const sim = env.sims[0];
    const ok = env.client(sim, { username: 'root', password: 'Milvus' });
    assert.equal((await ok.listDatabases()).status.error_code, 'Success');

    const raw = rawClient(sim.address);
    await assert.rejects(rawCall(raw, 'ListDatabases', {}), (e: grpc.ServiceError) => e.code === grpc.status.UNAUTHENTICATED);
    const wrong = Buffer.from('root:nope').toString('base64');
    await assert.rejects(rawCall(raw, 'ListDatabases', {}, { authorization: wrong }), (e: grpc.ServiceError) => e.code === grpc.status.UNAUTHENTICATED);
    const right = Buffer.from('root:Milvus').toString('base64');
    assert.deepEqual((await rawCall(raw, 'ListDatabases', {}, { authorization: right })).db_names, ['default']);
    raw.close();

    const noAuth = await rest(sim.address, 'collections/list', {});
    assert.equal(noAuth.json.code, 1800);
    const withAuth = await rest(sim.address, 'collections/list', {}, { Authorization: 'Bearer root:Milvus' });
    assert.equal(withAuth.json.code, 0);
  } finally {
    await env.stop();
  }
});

test('management port: healthz, cluster GC pause/resume before 2.6.8', async () => {
  const env = await startEnv({ version: 'v2.5.14' });
  try {
    const m = env.sims[0].managementUrl;
    const h = await fetch(`${m}/healthz`);
    assert.equal(h.status, 200);
    const p = await fetch(`${m}/management/datacoord/garbage_collection/pause?pause_seconds=60&collection_id=0`);
    assert.equal(p.status, 200);
    assert.deepEqual(await p.json(), { msg: 'OK' });
    const bad = await fetch(`${m}/management/datacoord/garbage_collection/pause?pause_seconds=x`);
    assert.equal(bad.status, 400);
    const r = await fetch(`${m}/management/datacoord/garbage_collection/resume`);
    assert.deepEqual(await r.json(), { msg: 'OK' });
  } finally {
    await env.stop();
  }
});
