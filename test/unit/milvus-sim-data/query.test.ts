import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Env, collection, field, row, rows, setup } from './helpers';
import { DataPlaneError } from '../../milvus-sim/data/api';
import type { CollectionView, Row, Value } from '../../milvus-sim/data/api';

let env: Env;
before(async () => {
  env = await setup();
});
after(() => env.close());

const pks = (rs: Row[]) => rs.map((r) => r.get(100)).sort((a, b) => (Number(a) - Number(b)));

describe('query, count and search over growing + flushed data', () => {
  it('filters: in, comparisons, and/or/not, parentheses, like, dynamic keys, JSON paths', async () => {
    const dp = await env.open('2.5.14');
    const c = collection('2.5.14', { shards: 2 });
    await dp.insert(c, undefined, rows(6)); // pk 1..6, age 20..25, name n0..n5, $meta.tag even/odd
    await dp.flush(c);
    await dp.insert(c, undefined, rows(4, 7n)); // growing: pk 7..10, age 20..23
    const q = async (filter: string) => pks(await dp.query(c, { filter, outputFieldIds: [] }));
    assert.deepEqual(await q('pk in [1, 3, 8]'), [1n, 3n, 8n]);
    assert.deepEqual(await q('pk not in [1, 2, 3, 4, 5, 6, 7]'), [8n, 9n, 10n]);
    assert.deepEqual(await q('age > 23'), [5n, 6n]);
    assert.deepEqual(await q('age >= 23 and pk < 6'), [4n, 5n]);
    assert.deepEqual(await q('pk == 2 or pk == 9'), [2n, 9n]);
    assert.deepEqual(await q('not (age < 25)'), [6n]);
    assert.deepEqual(await q('(pk < 3 || pk > 9) && age != 21'), [1n, 10n]);
    assert.deepEqual(await q('name like "n1%"'), [2n, 8n]);
    assert.deepEqual(await q('name in ["n3", "zz"]'), [4n, 10n]);
    assert.deepEqual(await q('tag == "odd" and pk <= 6'), [2n, 4n, 6n]);
    assert.deepEqual(await q('$meta["tag"] == "even" and pk > 6'), [7n, 9n]);
    assert.deepEqual(await q('20 < age < 22'), [2n, 8n]);
    assert.deepEqual(await q('name != "n0"'), [2n, 3n, 4n, 5n, 6n, 8n, 9n, 10n]);
    assert.equal(await dp.count(c, ''), 10);
    assert.equal(await dp.count(c, 'age < 22'), 4);
    await assert.rejects(dp.query(c, { filter: 'nosuch == 1 and', outputFieldIds: [] }), DataPlaneError);
    // output fields, exact values, limit/offset
    const one = await dp.query(c, { filter: 'pk == 3', outputFieldIds: [101, 102, 103, 104] });
    assert.equal(one.length, 1);
    assert.deepEqual(one[0].get(101), [2, 2.5]);
    assert.equal(one[0].get(102), 'n2');
    assert.equal(one[0].get(103), 22);
    assert.deepEqual(JSON.parse((one[0].get(104) as Buffer).toString()), { tag: 'even' });
    assert.equal((await dp.query(c, { filter: '', outputFieldIds: [], limit: 3 })).length, 3);
    assert.equal((await dp.query(c, { filter: '', outputFieldIds: [], limit: 3, offset: 8 })).length, 2);
  });

  it('fields without a dynamic field: an unknown name is an error', async () => {
    const dp = await env.open('2.5.14');
    const c = collection('2.5.14', { fields: [field(100, 'id', 'VarChar', { isPrimaryKey: true }), field(101, 'v', 'FloatVector', { dim: 2 })] });
    await dp.insert(c, undefined, [new Map<number, Value>([[100, 'a'], [101, [1, 0]]])]);
    await assert.rejects(dp.count(c, 'zz == 1'), /field zz not exist/);
    assert.deepEqual((await dp.query(c, { filter: 'id in ["a"]', outputFieldIds: [] })).map((r) => r.get(100)), ['a']);
  });

  it('deletes hide rows with an older timestamp only; upsert replaces; asOfTs travels back', async () => {
    const dp = await env.open('2.5.14');
    const c = collection('2.5.14', { shards: 2 });
    const ins = await dp.insert(c, undefined, rows(5));
    await dp.flush(c);
    const del = await dp.delete(c, undefined, 'age >= 23');
    assert.equal(del.deleteCount, 2);
    assert.deepEqual(pks(await dp.query(c, { filter: '', outputFieldIds: [] })), [1n, 2n, 3n]);
    // travel back to before the delete
    assert.equal((await dp.query(c, { filter: '', outputFieldIds: [], asOfTs: ins.timestamp })).length, 5);
    await dp.insert(c, undefined, [row(4n, [9, 9], 'again', 99)]);
    assert.deepEqual(pks(await dp.query(c, { filter: '', outputFieldIds: [] })), [1n, 2n, 3n, 4n]);
    await dp.upsert(c, undefined, [row(1n, [7, 7], 'up', 70)]);
    const r1 = await dp.query(c, { filter: 'pk == 1', outputFieldIds: [102, 103] });
    assert.equal(r1.length, 1);
    assert.equal(r1[0].get(102), 'up');
    assert.equal(await dp.count(c, ''), 4);
    await dp.flush(c);
    assert.equal(await dp.count(c, ''), 4);
    assert.equal((await dp.query(c, { filter: 'pk == 1', outputFieldIds: [102] }))[0].get(102), 'up');
  });

  it('upsert deletes only in the request partition (_default when none is named), as the proxy does', async () => {
    const dp = await env.open('2.5.14');
    const c = collection('2.5.14', { shards: 1, partitions: ['_default', 'p1'] });
    await dp.insert(c, 'p1', [row(7n, [0, 0], 'in-p1', 1)]);
    await dp.upsert(c, undefined, [row(7n, [1, 1], 'in-default', 2)]);
    assert.equal(await dp.count(c, 'pk == 7'), 2, 'the p1 row is not replaced');
    await dp.upsert(c, 'p1', [row(7n, [2, 2], 'p1-again', 3)]);
    assert.equal(await dp.count(c, 'pk == 7'), 2);
    assert.deepEqual((await dp.query(c, { filter: 'pk == 7', outputFieldIds: [102], partitionNames: ['p1'] })).map((r) => r.get(102)), ['p1-again']);
  });

  it('search: L2, IP, COSINE with topK, filter and partitions; HAMMING/JACCARD on binary vectors', async () => {
    const dp = await env.open('2.5.14');
    const c = collection('2.5.14', { shards: 2, partitions: ['_default', 'p1'] });
    await dp.insert(c, undefined, [row(1n, [0, 0], 'a', 1), row(2n, [1, 0], 'b', 2), row(3n, [3, 4], 'c', 3)]);
    await dp.flush(c);
    await dp.insert(c, 'p1', [row(4n, [0, 1], 'd', 4)]);
    const l2 = await dp.search(c, { annsFieldId: 101, vectors: [[0, 0]], topK: 2, metricType: 'L2', filter: '', outputFieldIds: [102] });
    assert.deepEqual(l2[0].map((h) => [h.pk, h.score]), [[1n, 0], [2n, 1]]);
    assert.equal(l2[0][1].row.get(102), 'b');
    const ip = await dp.search(c, { annsFieldId: 101, vectors: [[1, 1], [0, 1]], topK: 1, metricType: 'IP', filter: '', outputFieldIds: [] });
    assert.deepEqual(ip.map((hs) => hs.map((h) => h.pk)), [[3n], [3n]]);
    const cos = await dp.search(c, { annsFieldId: 101, vectors: [[0, 2]], topK: 3, metricType: 'COSINE', filter: 'pk != 4', outputFieldIds: [] });
    assert.equal(cos[0].length, 3);
    assert.equal(cos[0][0].pk, 3n);
    assert.ok(Math.abs(cos[0][0].score - 0.8) < 1e-9);
    const inP1 = await dp.search(c, { annsFieldId: 101, vectors: [[3, 4]], topK: 5, metricType: 'L2', filter: '', outputFieldIds: [], partitionNames: ['p1'] });
    assert.deepEqual(inP1[0].map((h) => h.pk), [4n]);

    const bc: CollectionView = collection('2.5.14', { fields: [field(100, 'pk', 'Int64', { isPrimaryKey: true }), field(101, 'bv', 'BinaryVector', { dim: 8 })] });
    await dp.insert(bc, undefined, [
      new Map<number, Value>([[100, 1n], [101, Buffer.from([0b1111_0000])]]),
      new Map<number, Value>([[100, 2n], [101, Buffer.from([0b1111_1111])]]),
    ]);
    const ham = await dp.search(bc, { annsFieldId: 101, vectors: [Buffer.from([0b1111_0001])], topK: 2, metricType: 'HAMMING', filter: '', outputFieldIds: [] });
    assert.deepEqual(ham[0].map((h) => [h.pk, h.score]), [[1n, 1], [2n, 3]]);
    const jac = await dp.search(bc, { annsFieldId: 101, vectors: [Buffer.from([0b1111_0000])], topK: 2, metricType: 'JACCARD', filter: '', outputFieldIds: [] });
    assert.deepEqual(jac[0].map((h) => [h.pk, h.score]), [[1n, 0], [2n, 0.5]]);
  });

  it('partition key: rows hash to _default_<n>, autoID keys come from the id allocator', async () => {
    const dp = await env.open('2.5.14');
    const c = collection('2.5.14', {
      autoID: true,
      shards: 1,
      partitions: ['_default_0', '_default_1', '_default_2', '_default_3'],
      fields: [
        field(100, 'pk', 'Int64', { isPrimaryKey: true, autoID: true }),
        field(101, 'vec', 'FloatVector', { dim: 2 }),
        field(102, 'tenant', 'VarChar', { isPartitionKey: true }),
      ],
    });
    const rs = Array.from({ length: 40 }, (_, i) => new Map<number, Value>([[101, [i, i]], [102, `t${i % 8}`]]));
    const ins = await dp.insert(c, undefined, rs);
    assert.equal(ins.ids.length, 40);
    for (const id of ins.ids) assert.ok(BigInt(id) > 2n ** 53n);
    await assert.rejects(dp.insert(c, '_default_1', rs.slice(0, 1)), DataPlaneError);
    await dp.flush(c);
    const segs = await dp.segments(c);
    assert.ok(segs.length >= 2, 'rows spread over several partitions');
    // same tenant → same partition
    for (let t = 0; t < 8; t++) {
      const parts = new Set<string>();
      for (const s of segs) {
        const name = c.partitions.find((p) => p.partitionId === s.partitionId)!.name;
        if ((await dp.count(c, `tenant == "t${t}"`, [name])) > 0) parts.add(name);
      }
      assert.equal(parts.size, 1);
    }
  });
});
