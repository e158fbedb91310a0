/** Insert/Upsert/Delete/Query/Search through the SDK: value types, partitions, nullable and default values, dynamic keys. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startEnv, DataType } from './helpers';

test('VarChar primary key, nullable/default fields, arrays, JSON, partitions, upsert, delete by filter, search', async () => {
  const env = await startEnv({ version: 'v2.5.14' });
  try {
    const c = env.client(env.sims[0]);
    const cr = await c.createCollection({
      collection_name: 'docs',
      enable_dynamic_field: true,
      fields: [
        { name: 'pk', data_type: DataType.VarChar, is_primary_key: true, max_length: 32 },
        { name: 'emb', data_type: DataType.FloatVector, dim: 2 },
        { name: 'score', data_type: DataType.Double, nullable: true },
        { name: 'level', data_type: DataType.Int32, default_value: 7 },
        { name: 'tags', data_type: DataType.Array, element_type: DataType.VarChar, max_capacity: 4, max_length: 8 },
        { name: 'meta', data_type: DataType.JSON },
        { name: 'big', data_type: DataType.Int64 },
      ],
    });
    assert.equal(cr.error_code, 'Success', cr.reason);
    await c.createPartition({ collection_name: 'docs', partition_name: 'p2024' });
    const data = [
      { pk: 'a', emb: [1, 0], score: 1.5, level: 1, tags: ['x', 'y'], meta: { k: 1 }, big: '9007199254740993', extra: 'dyn' },
      { pk: 'b', emb: [0, 1], score: null, tags: [], meta: { k: 2 }, big: '2' },
      { pk: 'c', emb: [1, 1], score: 3, level: 3, tags: ['z'], meta: {}, big: '3' },
    ];
    const ins = await c.insert({ collection_name: 'docs', data });
    assert.equal(ins.status.error_code, 'Success', ins.status.reason);
    assert.deepEqual(ins.IDs, { str_id: { data: ['a', 'b', 'c'] }, id_field: 'str_id' });
    const insP = await c.insert({ collection_name: 'docs', partition_name: 'p2024', data: [{ pk: 'p', emb: [2, 2], score: 1, level: 1, tags: [], meta: {}, big: '5' }] });
    assert.equal(insP.status.error_code, 'Success', insP.status.reason);
    const badPart = await c.insert({ collection_name: 'docs', partition_name: 'nope', data: [{ pk: 'q', emb: [2, 2], tags: [], meta: {}, big: '5' }] });
    assert.equal(badPart.status.code, 200);

    await c.createIndex({ collection_name: 'docs', field_name: 'emb', index_type: 'FLAT', metric_type: 'L2' });
    await c.loadCollectionSync({ collection_name: 'docs' });
    const q = await c.query({ collection_name: 'docs', filter: 'pk in ["a", "b"]', output_fields: ['*'] });
    assert.equal(q.status.error_code, 'Success', q.status.reason);
    const byPk = Object.fromEntries(q.data.map((r) => [r.pk, r]));
    assert.equal(byPk.a.score, 1.5);
    assert.equal(byPk.b.score, null, 'null through valid_data');
    assert.equal(byPk.b.level, 7, 'default value filled');
    assert.deepEqual(byPk.a.tags, ['x', 'y']);
    assert.deepEqual(byPk.a.meta, { k: 1 });
    assert.equal(byPk.a.big, '9007199254740993', 'int64 beyond 2^53 exact');
    assert.deepEqual(byPk.a.emb, [1, 0]);
    assert.deepEqual(byPk.a.$meta, { extra: 'dyn' });

    const inPart = await c.query({ collection_name: 'docs', filter: 'level >= 0', partition_names: ['p2024'], output_fields: ['pk'] });
    assert.deepEqual(inPart.data.map((r) => r.pk), ['p']);
    const cnt = await c.count({ collection_name: 'docs', expr: 'level < 5' });
    assert.equal(cnt.data, 3);
    const stats = await c.getPartitionStatistics({ collection_name: 'docs', partition_name: 'p2024' });
    assert.equal(stats.data.row_count, '1');

    const up = await c.upsert({ collection_name: 'docs', data: [{ pk: 'c', emb: [5, 5], score: 9, level: 9, tags: [], meta: {}, big: '30' }] });
    assert.equal(up.status.error_code, 'Success', up.status.reason);
    assert.equal(up.upsert_cnt, '1');
    const afterUp = await c.query({ collection_name: 'docs', filter: 'pk == "c"', output_fields: ['level', 'big'] });
    assert.deepEqual(afterUp.data, [{ pk: 'c', level: 9, big: '30' }]);

    const del = await c.delete({ collection_name: 'docs', filter: 'level == 1' });
    assert.equal(del.status.error_code, 'Success', del.status.reason);
    const left = await c.query({ collection_name: 'docs', filter: 'level >= 0', output_fields: ['pk'] });
    assert.deepEqual(left.data.map((r) => r.pk).sort(), ['b', 'c']);

    const sr = await c.search({ collection_name: 'docs', data: [[0, 1]], limit: 2, filter: 'level > 0', output_fields: ['level'] });
    assert.equal(sr.status.error_code, 'Success', sr.status.reason);
    assert.deepEqual(sr.results.map((r) => r.pk), ['b', 'c']);
    assert.equal(sr.results[0].score, 0);
    assert.equal(sr.results[0].level, 7);
    const multi = await c.search({ collection_name: 'docs', data: [[0, 1], [5, 5]], limit: 1 });
    assert.deepEqual((multi.results as unknown as Array<Array<{ pk: string }>>).map((r) => r[0].pk), ['b', 'c']);

    await c.releaseCollection({ collection_name: 'docs' });
    const notLoaded = await c.query({ collection_name: 'docs', filter: 'pk == "b"' });
    assert.equal(notLoaded.status.code, 101);
  } finally {
    await env.stop();
  }
});

test('2.6: after AddCollectionField with a default value, rows written before read back the default (filters too)', async () => {
  const env = await startEnv({ version: 'v2.6.11' });
  try {
    const c = env.client(env.sims[0]);
    await c.createCollection({ collection_name: 'grow', fields: [{ name: 'pk', data_type: DataType.Int64, is_primary_key: true }, { name: 'v', data_type: DataType.FloatVector, dim: 2 }] });
    await c.insert({ collection_name: 'grow', data: [{ pk: 1, v: [1, 0] }, { pk: 2, v: [0, 1] }] });
    await c.flushSync({ collection_names: ['grow'] });
    await c.insert({ collection_name: 'grow', data: [{ pk: 3, v: [1, 1] }] }); // growing
    const add = await c.addCollectionField({ collection_name: 'grow', field: { name: 'rank', data_type: DataType.Int32, nullable: true, default_value: 7 } } as never);
    assert.equal(add.error_code, 'Success', add.reason);
    const add2 = await c.addCollectionField({ collection_name: 'grow', field: { name: 'note', data_type: DataType.VarChar, max_length: 8, nullable: true } } as never);
    assert.equal(add2.error_code, 'Success', add2.reason);
    // a fresh client: the SDK caches the schema it described before the fields were added
    const c2 = env.client(env.sims[0]);
    const ins = await c2.insert({ collection_name: 'grow', data: [{ pk: 4, v: [2, 2], rank: 1, note: 'new' }] });
    assert.equal(ins.status.error_code, 'Success', ins.status.reason);
    await c.createIndex({ collection_name: 'grow', field_name: 'v', index_type: 'FLAT', metric_type: 'L2' });
    await c.loadCollectionSync({ collection_name: 'grow' });
    const q = await c.query({ collection_name: 'grow', filter: 'pk > 0', output_fields: ['pk', 'rank', 'note'], limit: 10 });
    assert.deepEqual(q.data.map((r) => [String(r.pk), r.rank, r.note]), [['1', 7, null], ['2', 7, null], ['3', 7, null], ['4', 1, 'new']]);
    const f = await c.query({ collection_name: 'grow', filter: 'rank == 7', output_fields: ['pk'], limit: 10 });
    assert.deepEqual(f.data.map((r) => String(r.pk)), ['1', '2', '3']);
  } finally {
    await env.stop();
  }
});
