/**
 * Schema fidelity and deletes through a real backup/restore round trip on the Milvus test servers:
 * partition key (num_partitions), dynamic field, default values, a field added after creation (field-id
 * alignment), a BM25 function (2.6.9 → 2.6.9: the disable_func_runtime_check dance; AddCollectionField exists from 2.6), and L0 deletes
 * across partitions.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DataType, FunctionType, type MilvusClient } from '@zilliz/milvus2-sdk-node';
import { createBackup } from '../../../src/core/backup/create';
import type { ResolvedConfig } from '../../../src/core/config/types';
import { restoreBackup } from '../../../src/core/restore';
import type { MilvusSimHandle } from '../../milvus-sim/index';
import { allRows, countRows, startSeedPair, type RestoreEnv } from './simEnv';

let env: RestoreEnv;
let a: MilvusSimHandle;
let ca: MilvusClient;
let cb: MilvusClient;
let cfgA: ResolvedConfig;
let cfgB: ResolvedConfig;

const ok = (r: unknown, what: string) => {
  const x = r as { error_code?: string; reason?: string; status?: { error_code: string; reason: string } };
  const st = x.status ?? x;
  assert.equal(st.error_code, 'Success', `${what}: ${st.reason}`);
};

async function fields(c: MilvusClient, name: string) {
  const d = await c.describeCollection({ collection_name: name });
  return { d, byName: Object.fromEntries(d.schema.fields.map((f) => [f.name, f])) };
}

describe('restore: schema features and deletes', () => {
  before(async () => {
    const seed = await startSeedPair('v2.6.9');
    ({ env, a, ca, cb } = seed);
    cfgA = env.config(seed.fileA);
    cfgB = env.config(seed.fileB);

    // partition key + dynamic field + default value, then a field added after creation
    ok(await ca.createCollection({
      collection_name: 'pk_dyn',
      enable_dynamic_field: true,
      num_partitions: 4,
      fields: [
        { name: 'pk', data_type: DataType.Int64, is_primary_key: true },
        { name: 'vec', data_type: DataType.FloatVector, dim: 4 },
        { name: 'cat', data_type: DataType.Int64, is_partition_key: true },
        { name: 'score', data_type: DataType.Int32, nullable: true, default_value: 7 },
      ],
    }), 'create pk_dyn');
    ok(await ca.insert({
      collection_name: 'pk_dyn',
      data: Array.from({ length: 40 }, (_, i) => ({ pk: i + 1, vec: [i, 1, 2, 3], cat: i % 5, ...(i % 2 ? { score: i } : {}), extra: `e${i}` })),
    }), 'insert pk_dyn');
    ok(await ca.addCollectionField({ collection_name: 'pk_dyn', field: { name: 'late', data_type: DataType.VarChar, max_length: 32, nullable: true } }), 'add field');
    // a fresh client: the SDK caches the schema it inserts against, and the added field changed it
    ok(await env.client(a).insert({
      collection_name: 'pk_dyn',
      data: Array.from({ length: 10 }, (_, i) => ({ pk: 100 + i, vec: [i, 0, 0, 1], cat: i, late: `l${i}`, extra: `x${i}` })),
    }), 'insert pk_dyn late');
    await ca.flushSync({ collection_names: ['pk_dyn'] });

    // BM25 function
    ok(await ca.createCollection({
      collection_name: 'docs',
      fields: [
        { name: 'pk', data_type: DataType.Int64, is_primary_key: true },
        { name: 'text', data_type: DataType.VarChar, max_length: 256, enable_analyzer: true },
        { name: 'sparse', data_type: DataType.SparseFloatVector },
      ],
      functions: [{ name: 'bm25', type: FunctionType.BM25, input_field_names: ['text'], output_field_names: ['sparse'], params: {} }],
    }), 'create docs');
    ok(await ca.insert({ collection_name: 'docs', data: Array.from({ length: 12 }, (_, i) => ({ pk: i + 1, text: `document number ${i}` })) }), 'insert docs');
    await ca.flushSync({ collection_names: ['docs'] });

    // deletes across partitions: a collection-wide delete and a partition-scoped one
    ok(await ca.createCollection({
      collection_name: 'del',
      fields: [
        { name: 'pk', data_type: DataType.Int64, is_primary_key: true },
        { name: 'vec', data_type: DataType.FloatVector, dim: 4 },
      ],
    }), 'create del');
    for (const p of ['p1', 'p2']) ok(await ca.createPartition({ collection_name: 'del', partition_name: p }), `partition ${p}`);
    for (const [i, p] of ['_default', 'p1', 'p2'].entries()) {
      ok(await ca.insert({ collection_name: 'del', partition_name: p, data: Array.from({ length: 20 }, (_, j) => ({ pk: i * 100 + j, vec: [j, 0, 0, 0] })) }), `insert ${p}`);
    }
    await ca.flushSync({ collection_names: ['del'] });
    ok(await ca.delete({ collection_name: 'del', filter: 'pk in [1, 2, 101, 102, 201]' }), 'delete across partitions');
    ok(await ca.delete({ collection_name: 'del', partition_name: 'p2', filter: 'pk in [210, 211]' }), 'delete in p2');
    await ca.flushSync({ collection_names: ['del'] });

    await createBackup({ config: cfgA, name: 'feat' });
  });

  after(async () => {
    await env?.stop();
  });

  test('partition key, dynamic field, default value and an added field keep their ids and rows', async () => {
    const r = await restoreBackup({ config: cfgB, name: 'feat', filter: 'pk_dyn_r', suffix: '_r', pollIntervalMs: 50 });
    assert.equal(r.ok, true, r.error);
    const src = await fields(ca, 'pk_dyn');
    const dst = await fields(cb, 'pk_dyn_r');
    for (const n of ['pk', 'vec', 'cat', 'score', 'late']) assert.equal(dst.byName[n]!.fieldID, src.byName[n]!.fieldID, `field id of ${n}`);
    assert.equal(dst.byName.cat!.is_partition_key, true);
    assert.equal(dst.byName.score!.nullable, true);
    assert.equal(JSON.stringify(dst.byName.score!.default_value), JSON.stringify(src.byName.score!.default_value));
    assert.equal(dst.d.schema.enable_dynamic_field, true);
    const parts = await cb.showPartitions({ collection_name: 'pk_dyn_r' });
    assert.equal(parts.partition_names.length, (await ca.showPartitions({ collection_name: 'pk_dyn' })).partition_names.length);
    const out = ['pk', 'cat', 'score', 'late', 'extra'];
    assert.deepEqual(await allRows(cb, 'pk_dyn_r', out), await allRows(ca, 'pk_dyn', out));
  });

  test('a BM25 function is restored with its output field; the runtime check is switched back off', async () => {
    const r = await restoreBackup({ config: cfgB, name: 'feat', collections: 'docs', suffix: '_r', pollIntervalMs: 50 });
    assert.equal(r.ok, true, r.error);
    const { d, byName } = await fields(cb, 'docs_r');
    assert.equal(d.schema.functions.length, 1);
    const fn = d.schema.functions[0]!;
    assert.equal(fn.name, 'bm25');
    assert.equal(String(fn.type), 'BM25');
    assert.deepEqual(fn.output_field_names, ['sparse']);
    assert.equal(byName.sparse!.is_function_output, true);
    const props = Object.fromEntries(d.properties.map((kv) => [kv.key, kv.value]));
    assert.equal(props.disable_func_runtime_check, 'false');
    assert.deepEqual(await allRows(cb, 'docs_r', ['pk', 'text']), await allRows(ca, 'docs', ['pk', 'text']));
  });

  test('L0 deletes across partitions are imported after the data: the same rows remain', async () => {
    const r = await restoreBackup({ config: cfgB, name: 'feat', collections: 'del', suffix: '_r', pollIntervalMs: 50 });
    assert.equal(r.ok, true, r.error);
    const jobs = r.collections[0]!.importJobs;
    assert.ok(jobs.some((j) => j.kind === 'l0' && j.partition === ''), `collection-wide L0 job expected: ${JSON.stringify(jobs)}`);
    assert.ok(jobs.some((j) => j.kind === 'l0' && j.partition === 'p2'), `partition L0 job expected: ${JSON.stringify(jobs)}`);
    assert.equal(await countRows(ca, 'del'), 53);
    assert.equal(await countRows(cb, 'del_r'), 53);
    assert.deepEqual(await allRows(cb, 'del_r', ['pk']), await allRows(ca, 'del', ['pk']));
  });
});
