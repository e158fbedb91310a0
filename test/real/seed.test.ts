/**
 * The seed document on REAL Milvus (embedded Milvus 2.3.5): milvus_A (bucket-a/files) backs `coll` up into
 * bucket-b/backup with exactly `create -c coll -n my_backup`, milvus_B (bucket-b/files) restores it with
 * exactly `restore -c coll -n my_backup -s _bak`; every row (ids beyond 2^53, vectors, scalars, dynamic keys)
 * and the count after deletes compared, the source bucket unchanged, no staging objects left. Also a VarChar
 * primary key and a partition-key collection.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRealPair, type RealEnv } from './realEnv';
import { COLL, fillColl, fillVarcharAndPartitionKey, indexVec, pkOf, rowsOf, vecOf } from './seedData';

let e: RealEnv;

describe('seed document on real Milvus 2.3.5 (our CLI)', () => {
  before(async () => {
    e = await startRealPair();
    await fillColl(e.a.client);
    await fillVarcharAndPartitionKey(e.a.client);
  });
  after(async () => {
    await e?.stop();
  });

  test('create -c coll -n my_backup, then restore -c coll -n my_backup -s _bak: every row back', async () => {
    const sourceBefore = await e.snapshot('bucket-a');
    const created = await e.ours(e.a, 'create', '-c', 'coll', '-n', 'my_backup');
    assert.equal(created.code, 0, created.err);
    assert.match(created.out, /default\.coll: 6 segment\(s\)/, 'three flushes × two partitions: six sealed segments');

    const restored = await e.ours(e.b, 'restore', '-c', 'coll', '-n', 'my_backup', '-s', '_bak');
    assert.equal(restored.code, 0, `${restored.out}\n${restored.err}`);
    // Like the Go tool (core/restore/coll_ddl_task.go createIndex: only with --rebuild_index), no index is
    // built; Milvus 2.3 loads no collection without one, so the test builds it to read the rows.
    const noIndex = await e.b.client.describeIndex({ collection_name: 'coll_bak' });
    assert.match(`${noIndex.status.error_code} ${noIndex.status.reason}`, /IndexNotExist|index not found/);
    await indexVec(e.b.client, 'coll_bak');

    const fields = ['pk', 'vec', 'title', 'score', '$meta'];
    const src = await rowsOf(e.a.client, 'coll', 'pk', fields);
    const dst = await rowsOf(e.b.client, 'coll_bak', 'pk', fields);
    const expected = COLL.batches * COLL.perBatch - COLL.deleted.length;
    assert.equal(src.length, expected);
    assert.equal(dst.length, expected, 'the deletes stay deleted');
    assert.deepEqual(dst, src);
    // spot-check the values themselves, not only equality with the source
    const row = dst.find((r) => r.pk === pkOf(598))!;
    assert.deepEqual(row.vec, vecOf(598));
    assert.deepEqual(row.$meta, { color: 'c3', n: 598 });
    assert.ok(!dst.some((r) => COLL.deleted.map(pkOf).includes(r.pk as string)));

    const partitions = await e.b.client.showPartitions({ collection_name: 'coll_bak' });
    assert.deepEqual(partitions.partition_names.sort(), ['_default', 'p1']);

    // The source bucket as our backup left it: nothing removed or rewritten. A real Milvus compacts on its own
    // (measured on 2.3.5: the deletes got segments merged into new ones mid-test), so new objects may appear,
    // but only Milvus's own binlogs under files/.
    const sourceAfter = await e.snapshot('bucket-a');
    for (const [k, v] of sourceBefore) assert.equal(sourceAfter.get(k), v, `source object ${k} unchanged`);
    const added = [...sourceAfter.keys()].filter((k) => !sourceBefore.has(k));
    assert.deepEqual(added.filter((k) => !/^files\/(insert|delta|stats)_log\/\d+\/\d+\/\d+\//.test(k)), [], 'nothing but Milvus binlogs added to the source bucket');
    const backupKeys = [...(await e.snapshot('bucket-b')).keys()];
    assert.deepEqual(backupKeys.filter((k) => /staging|restore_temp|tmp/i.test(k) && !k.startsWith('files/')), [], 'no staging objects left');
  });

  test('a VarChar primary key and a partition-key collection round-trip', async () => {
    const created = await e.ours(e.a, 'create', '--filter', 'vc,pkey', '-n', 'keys_backup');
    assert.equal(created.code, 0, created.err);
    const restored = await e.ours(e.b, 'restore', '-n', 'keys_backup', '-s', '_bak', '--rebuild_index');
    assert.equal(restored.code, 0, `${restored.out}\n${restored.err}`);
    for (const name of ['vc', 'pkey']) {
      const [src, dst] = await Promise.all([e.a.client.describeIndex({ collection_name: name }), e.b.client.describeIndex({ collection_name: `${name}_bak` })]);
      const params = (d: typeof src) => d.index_descriptions.map((i) => [i.field_name, Object.fromEntries(i.params.map((kv) => [kv.key, kv.value]))]);
      assert.deepEqual(params(dst), params(src), `--rebuild_index rebuilds ${name}'s index as it was`);
    }
    assert.deepEqual(await rowsOf(e.b.client, 'vc_bak', 'id', ['id', 'vec']), await rowsOf(e.a.client, 'vc', 'id', ['id', 'vec']));
    assert.equal((await rowsOf(e.b.client, 'vc_bak', 'id', ['id'])).length, 298);
    assert.deepEqual(await rowsOf(e.b.client, 'pkey_bak', 'id', ['id', 'category', 'vec']), await rowsOf(e.a.client, 'pkey', 'id', ['id', 'category', 'vec']));
    const d = await e.b.client.describeCollection({ collection_name: 'pkey_bak' });
    assert.ok(d.schema.fields.find((f) => f.name === 'category')?.is_partition_key, 'the partition key survives');
  });
});
