/**
 * Restore end to end through the CLI, on the embedded S3 server and two Milvus test servers configured as the
 * seed document says: milvus_A on bucket-a backing up into bucket-b, milvus_B on bucket-b restoring from it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { runCli } from '../../../src/cli/program';
import { allRows, countRows, fillSimple, keysUnder, startSeedPair, type RestoreEnv } from './simEnv';

let env: RestoreEnv;
let ca: MilvusClient;
let cb: MilvusClient;
let cfgA: string;
let cfgB: string;

async function cli(config: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['--config', config, ...argv], { out: (s) => out.push(s), err: (s) => err.push(s), env: env.env, isTTY: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function rowCount(c: MilvusClient, name: string, db?: string): Promise<number> {
  const r = await c.getCollectionStatistics({ collection_name: name, db_name: db });
  return Number(r.data.row_count);
}

describe('restore through the CLI (seed configuration)', () => {
  before(async () => {
    ({ env, ca, cb, fileA: cfgA, fileB: cfgB } = await startSeedPair('v2.5.14'));
    await fillSimple(ca, 'coll', 120, { partitions: ['p1'] });
    const idx = await ca.createIndex({ collection_name: 'coll', field_name: 'vec', index_name: 'vec_idx', index_type: 'HNSW', metric_type: 'L2', params: { M: 8, efConstruction: 64 } });
    assert.equal(idx.error_code, 'Success', idx.reason);
    await ca.createDatabase({ db_name: 'db1' });
    await fillSimple(ca, 'x', 10, { dbName: 'db1' });
    await fillSimple(ca, 'y', 7, { dbName: 'db1' });
    assert.equal((await ca.createUser({ username: 'alice', password: 'Secret123!' })).error_code, 'Success');
    assert.equal((await ca.createRole({ roleName: 'reader' })).error_code, 'Success');
    const c = await cli(cfgA, 'create', '-n', 'my_backup', '--rbac');
    assert.equal(c.code, 0, c.err + c.out);
  });

  after(async () => {
    await env?.stop();
  });

  test('the seed: restore -c coll -n my_backup -s _bak puts the same rows into coll_bak on milvus_B', async () => {
    const r = await cli(cfgB, 'restore', '-c', 'coll', '-n', 'my_backup', '-s', '_bak');
    assert.equal(r.code, 0, r.err + r.out);
    assert.match(r.out, /default\.coll → default\.coll_bak: restored, created, 120 rows \(verified\)/);
    const src = await allRows(ca, 'coll', ['pk', 'vec']);
    const dst = await allRows(cb, 'coll_bak', ['pk', 'vec']);
    assert.equal(dst.length, 120);
    assert.deepEqual(dst, src);
    const parts = await cb.showPartitions({ collection_name: 'coll_bak' });
    assert.deepEqual([...parts.partition_names].sort(), ['_default', 'p1']);
    // backup bucket == Milvus bucket on the same service: imported straight from the backup, nothing staged
    assert.deepEqual(await keysUnder(env, 'bucket-b', 'restore-temp-'), []);
  });

  test('--dry-run --json shows the plan and changes nothing', async () => {
    const r = await cli(cfgB, 'restore', '-n', 'my_backup', '-c', 'coll', '-s', '_dry', '--dry-run', '--json');
    assert.equal(r.code, 0, r.err + r.out);
    const p = JSON.parse(r.out);
    assert.equal(p.compatibility.ok, true);
    assert.equal(p.import_mode, 'merged');
    assert.equal(p.collections.length, 1);
    const c = p.collections[0];
    assert.equal(c.target, 'default.coll_dry');
    assert.equal(c.action, 'create');
    assert.equal(c.exists, false);
    assert.equal(c.rows, 120);
    assert.deepEqual(c.partitions.map((x: { name: string }) => x.name).sort(), ['_default', 'p1']);
    assert.ok(c.import_jobs.data >= 2);
    const text = await cli(cfgB, 'restore', '-n', 'my_backup', '-c', 'coll', '-s', '_dry', '--dry-run');
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /^Plan: restore backup my_backup \(Milvus v2\.5\.14\) into 127\.0\.0\.1:\d+ \(Milvus v2\.5\.14\)/);
    assert.match(text.out, /version compatibility: ok/);
    assert.match(text.out, /default\.coll → default\.coll_dry: create\n +2 partition\(s\), \d+ segment\(s\), 120 rows/);
    assert.equal((await cb.hasCollection({ collection_name: 'coll_dry' })).value, false);
  });

  test('an existing target is refused before anything changes; --drop_exist_collection replaces it; --skip_create_collection imports into it', async () => {
    const refused = await cli(cfgB, 'restore', '-c', 'coll', '-n', 'my_backup', '-s', '_bak', '--rbac');
    assert.equal(refused.code, 1);
    assert.match(refused.err, /default\.coll_bak already exists/);
    const users = await cb.listUsers();
    assert.ok(!users.usernames.includes('alice'), 'RBAC must not be restored by a refused restore');
    const both = await cli(cfgB, 'restore', '-c', 'coll', '-n', 'my_backup', '-s', '_bak', '--drop_exist_collection', '--skip_create_collection');
    assert.equal(both.code, 2);
    const dropped = await cli(cfgB, 'restore', '-c', 'coll', '-n', 'my_backup', '-s', '_bak', '--drop_exist_collection');
    assert.equal(dropped.code, 0, dropped.err);
    assert.equal(await rowCount(cb, 'coll_bak'), 120);
    const skip = await cli(cfgB, 'restore', '-c', 'coll', '-n', 'my_backup', '-s', '_bak', '--skip_create_collection', '--json');
    assert.equal(skip.code, 0, skip.err);
    const rep = JSON.parse(skip.out);
    assert.equal(rep.collections[0].created, false);
    assert.deepEqual(rep.collections[0].rows, { expected: 120, actual: 120, verified: true });
    assert.equal(await rowCount(cb, 'coll_bak'), 240);
    const missing = await cli(cfgB, 'restore', '-c', 'coll', '-n', 'my_backup', '-s', '_nope', '--skip_create_collection');
    assert.equal(missing.code, 1);
    assert.match(missing.err, /does not exist/);
  });

  test('--meta_only: schema and partitions, no rows', async () => {
    const r = await cli(cfgB, 'restore', '-c', 'coll', '-n', 'my_backup', '-s', '_meta', '--meta_only');
    assert.equal(r.code, 0, r.err);
    assert.equal((await cb.hasCollection({ collection_name: 'coll_meta' })).value, true);
    assert.equal(await rowCount(cb, 'coll_meta'), 0);
    const parts = await cb.showPartitions({ collection_name: 'coll_meta' });
    assert.deepEqual([...parts.partition_names].sort(), ['_default', 'p1']);
  });

  test('rename: db1.*:db2.* moves the database (db1 is not created); one source into two targets', async () => {
    const r = await cli(cfgB, 'restore', '-n', 'my_backup', '-r', 'db1.*:db2.*', '--filter', 'db2.*');
    assert.equal(r.code, 0, r.err + r.out);
    const dbs = (await cb.listDatabases()).db_names;
    assert.ok(dbs.includes('db2'));
    assert.ok(!dbs.includes('db1'), `db1 must not be created: ${dbs}`);
    assert.equal(await countRows(cb, 'x', 'db2'), 10);
    assert.equal(await countRows(cb, 'y', 'db2'), 7);
    const two = await cli(cfgB, 'restore', '-n', 'my_backup', '-c', 'coll', '-r', 'coll:c_one,default.coll:db3.c_two', '--json');
    assert.equal(two.code, 0, two.err);
    assert.deepEqual(JSON.parse(two.out).collections.map((c: { target: string }) => c.target), ['default.c_one', 'db3.c_two']);
    assert.equal(await rowCount(cb, 'c_one'), 120);
    assert.equal(await rowCount(cb, 'c_two', 'db3'), 120);
  });

  test('--rebuild_index recreates the backed-up index; --use_auto_index turns it into AUTOINDEX', async () => {
    const r = await cli(cfgB, 'restore', '-n', 'my_backup', '-c', 'coll', '-s', '_idx', '--rebuild_index');
    assert.equal(r.code, 0, r.err);
    const d = await cb.describeIndex({ collection_name: 'coll_idx' });
    const idx = d.index_descriptions[0]!;
    assert.equal(idx.index_name, 'vec_idx');
    const params = Object.fromEntries(idx.params.map((kv) => [kv.key, String(kv.value)]));
    assert.equal(params.index_type, 'HNSW');
    assert.equal(params.metric_type, 'L2');
    const auto = await cli(cfgB, 'restore', '-n', 'my_backup', '-c', 'coll', '-s', '_auto', '--rebuild_index', '--use_auto_index', '--meta_only');
    assert.equal(auto.code, 0, auto.err);
    const d2 = await cb.describeIndex({ collection_name: 'coll_auto' });
    const p2 = Object.fromEntries(d2.index_descriptions[0]!.params.map((kv) => [kv.key, String(kv.value)]));
    assert.equal(p2.index_type, 'AUTOINDEX');
  });

  test('--rbac adds the users and roles the target lacks, and only once', async () => {
    const r = await cli(cfgB, 'restore', '-n', 'my_backup', '-c', 'coll', '-s', '_rbac', '--rbac', '--meta_only', '--json');
    assert.equal(r.code, 0, r.err);
    const rep = JSON.parse(r.out);
    assert.ok(rep.rbac.users >= 1 && rep.rbac.roles >= 1, JSON.stringify(rep.rbac));
    assert.ok((await cb.listUsers()).usernames.includes('alice'));
    const again = await cli(cfgB, 'restore', '-n', 'my_backup', '-c', 'coll', '-s', '_rbac2', '--rbac', '--meta_only', '--json');
    assert.equal(again.code, 0, again.err);
    assert.deepEqual(JSON.parse(again.out).rbac, { users: 0, roles: 0, grants: 0, privilege_groups: 0 });
  });

  test('restoring into milvus_A (bucket-a) stages through bucket-a and removes the staging afterwards', async () => {
    const r = await cli(cfgA, 'restore', '-n', 'my_backup', '-c', 'coll', '-s', '_staged');
    assert.equal(r.code, 0, r.err + r.out);
    assert.deepEqual(await allRows(ca, 'coll_staged', ['pk', 'vec']), await allRows(ca, 'coll', ['pk', 'vec']));
    assert.deepEqual(await keysUnder(env, 'bucket-a', 'restore-temp-'), []);
  });
});
