/**
 * Databases, collections, partitions, aliases, indexes and load state, as RootCoord/QueryCoord keep them,
 * and the catalog surviving a restart.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startEnv, rawClient, rawCall, rest, simpleFields, DataType } from './helpers';
import { encodeMessage } from '../../milvus-sim/protos';
import { startMilvusSim } from '../../milvus-sim/index';

test('databases: list, create, describe (2.4.3+), alter, drop', async () => {
  const env = await startEnv({ version: 'v2.5.14' });
  try {
    const c = env.client(env.sims[0]);
    assert.equal((await c.createDatabase({ db_name: 'sales', properties: { 'database.replica.number': '1' } })).error_code, 'Success');
    const dup = await c.createDatabase({ db_name: 'sales' });
    assert.notEqual(dup.error_code, 'Success');
    const l = await c.listDatabases();
    assert.deepEqual(l.db_names, ['default', 'sales']);
    assert.equal(l.db_ids.length, 2);
    const d = await c.describeDatabase({ db_name: 'sales' });
    assert.equal(d.db_name, 'sales');
    assert.match(String(d.dbID), /^\d+$/);
    assert.deepEqual(d.properties, [{ key: 'database.replica.number', value: '1' }]);
    assert.equal((await c.alterDatabaseProperties({ db_name: 'sales', properties: { 'database.max.collections': '10' } })).error_code, 'Success');
    assert.equal((await c.describeDatabase({ db_name: 'sales' })).properties.length, 2);
    await c.createCollection({ db_name: 'sales', collection_name: 'c', fields: simpleFields() });
    const notEmpty = await c.dropDatabase({ db_name: 'sales' });
    assert.equal(notEmpty.code, 1100);
    await c.dropCollection({ db_name: 'sales', collection_name: 'c' });
    assert.equal((await c.dropDatabase({ db_name: 'sales' })).error_code, 'Success');
    assert.deepEqual((await c.listDatabases()).db_names, ['default']);
    assert.equal((await c.dropDatabase({ db_name: 'default' })).code, 1100);
  } finally {
    await env.stop();
  }
});

test('collections: field ids from 100 in schema order, $meta after them and hidden, partition-key partitions, shards → vchannels', async () => {
  const env = await startEnv();
  try {
    const c = env.client(env.sims[0]);
    const r = await c.createCollection({
      collection_name: 'books',
      enable_dynamic_field: true,
      shards_num: 2,
      consistency_level: 'Strong',
      properties: { 'collection.ttl.seconds': '3600' },
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true, autoID: false },
        { name: 'vec', data_type: DataType.FloatVector, dim: 8 },
        { name: 'author', data_type: DataType.VarChar, max_length: 32, is_partition_key: true },
        { name: 'year', data_type: DataType.Int32, nullable: true },
      ],
    });
    assert.equal(r.error_code, 'Success');
    const d = await c.describeCollection({ collection_name: 'books' });
    assert.deepEqual(
      d.schema.fields.map((f) => [f.name, String(f.fieldID)]),
      [
        ['id', '100'],
        ['vec', '101'],
        ['author', '102'],
        ['year', '103'],
      ],
    );
    assert.ok(!d.schema.fields.some((f) => f.name === '$meta'), 'DescribeCollection hides the dynamic field');
    assert.equal(d.schema.enable_dynamic_field, true);
    assert.equal(d.shards_num, 2);
    assert.equal(d.virtual_channel_names.length, 2);
    assert.match(d.virtual_channel_names[0], new RegExp(`^by-dev-rootcoord-dml_\\d+_${d.collectionID}v0$`));
    assert.equal(d.physical_channel_names.length, 2);
    assert.equal(String(d.num_partitions), '16');
    assert.equal(d.consistency_level, 'Strong');
    assert.deepEqual(d.properties, [{ key: 'collection.ttl.seconds', value: '3600' }]);
    const parts = await c.showPartitions({ collection_name: 'books' });
    assert.deepEqual(parts.partition_names, Array.from({ length: 16 }, (_, i) => `_default_${i}`));
    assert.equal(parts.partitionIDs.length, 16);
    assert.equal((await c.createPartition({ collection_name: 'books', partition_name: 'p' })).reason, 'disable create partition if partition key mode is used');

    // by id, as the Go tool's DML phase resolves collections
    const raw = rawClient(env.sims[0].address);
    const byId = await rawCall(raw, 'DescribeCollection', { collectionID: d.collectionID });
    assert.equal(byId.collection_name, 'books');
    // $meta exists in storage terms: the data plane's view has it right after the created fields (id 104)
    const rec = env.sims[0].state.catalog.collection('default', 'books')!;
    assert.deepEqual(rec.schema.fields.map((f) => f.fieldID), ['100', '101', '102', '103', '104']);
    assert.equal(rec.schema.fields[4].name, '$meta');

    // show / has / alter / drop
    // the SDK's type declares a formatted `data`; the proto fields are there too
    const show = (await c.showCollections()) as unknown as { collection_names: string[]; collection_ids: string[] };
    assert.deepEqual(show.collection_names, ['books']);
    assert.equal(show.collection_ids[0], d.collectionID);
    assert.equal((await c.alterCollectionProperties({ collection_name: 'books', properties: { 'mmap.enabled': 'true' } })).error_code, 'Success');
    const d2 = await c.describeCollection({ collection_name: 'books' });
    assert.equal(d2.properties.length, 2);
    raw.close();
    assert.equal((await c.dropCollection({ collection_name: 'books' })).error_code, 'Success');
    assert.equal((await c.hasCollection({ collection_name: 'books' })).value, false);
    assert.equal((await c.dropCollection({ collection_name: 'books' })).error_code, 'Success', 'dropping a missing collection succeeds');
  } finally {
    await env.stop();
  }
});

test('CreateCollection from raw schema bytes (how the restore sends them) ignores client field ids and validates', async () => {
  const env = await startEnv();
  try {
    const raw = rawClient(env.sims[0].address);
    const schema = encodeMessage('milvus.proto.schema.CollectionSchema', {
      name: 'raw',
      enable_dynamic_field: true,
      fields: [
        { fieldID: 7, name: 'pk', data_type: 'VarChar', is_primary_key: true, type_params: [{ key: 'max_length', value: '16' }] },
        { fieldID: 9, name: 'v', data_type: 'BinaryVector', type_params: [{ key: 'dim', value: '16' }] },
      ],
    });
    const st = await rawCall(raw, 'CreateCollection', { collection_name: 'raw', schema, shards_num: 1 });
    assert.equal(st.error_code, 'Success');
    const d = await rawCall(raw, 'DescribeCollection', { collection_name: 'raw' });
    assert.deepEqual(d.schema.fields.map((f: { fieldID: string }) => f.fieldID), ['100', '101']);
    const again = await rawCall(raw, 'CreateCollection', { collection_name: 'raw', schema, shards_num: 1 });
    assert.equal(again.error_code, 'Success', 'an identical re-create is accepted');
    const noVector = encodeMessage('milvus.proto.schema.CollectionSchema', {
      name: 'nv',
      fields: [{ name: 'pk', data_type: 'Int64', is_primary_key: true }],
    });
    assert.equal((await rawCall(raw, 'CreateCollection', { collection_name: 'nv', schema: noVector })).code, 1100);
    const mismatch = await rawCall(raw, 'CreateCollection', { collection_name: 'other', schema });
    assert.equal(mismatch.code, 1100, 'schema name must match the collection name');
    raw.close();
  } finally {
    await env.stop();
  }
});

test('AddCollectionField (2.6) gets the next field id, after $meta', async () => {
  const env = await startEnv({ version: 'v2.6.11' });
  try {
    const c = env.client(env.sims[0]);
    await c.createCollection({ collection_name: 'c', enable_dynamic_field: true, fields: simpleFields() });
    const raw = rawClient(env.sims[0].address);
    const field = encodeMessage('milvus.proto.schema.FieldSchema', { name: 'added', data_type: 'Int64', nullable: true });
    assert.equal((await rawCall(raw, 'AddCollectionField', { collection_name: 'c', schema: field })).error_code, 'Success');
    const notNullable = encodeMessage('milvus.proto.schema.FieldSchema', { name: 'nn', data_type: 'Int64' });
    assert.equal((await rawCall(raw, 'AddCollectionField', { collection_name: 'c', schema: notNullable })).code, 1100);
    const d = await c.describeCollection({ collection_name: 'c' });
    assert.deepEqual(
      d.schema.fields.map((f) => [f.name, String(f.fieldID)]),
      [
        ['id', '100'],
        ['vec', '101'],
        ['title', '102'],
        ['added', '104'],
      ],
      '$meta holds 103',
    );
    raw.close();
  } finally {
    await env.stop();
  }
});

test('partitions, aliases, indexes, load state and progress', async () => {
  const env = await startEnv();
  try {
    const c = env.client(env.sims[0]);
    await c.createCollection({ collection_name: 'c', fields: simpleFields() });
    assert.equal((await c.createPartition({ collection_name: 'c', partition_name: 'p1' })).error_code, 'Success');
    assert.equal((await c.hasPartition({ collection_name: 'c', partition_name: 'p1' })).value, true);
    const sp = await c.showPartitions({ collection_name: 'c' });
    assert.deepEqual(sp.partition_names, ['_default', 'p1']);
    assert.equal((await c.dropPartition({ collection_name: 'c', partition_name: '_default' })).code, 1100);

    assert.equal((await c.createAlias({ collection_name: 'c', alias: 'c_alias' })).error_code, 'Success');
    assert.equal((await c.describeCollection({ collection_name: 'c_alias' })).collection_name, 'c');
    assert.deepEqual((await c.listAliases({ collection_name: 'c' })).aliases, ['c_alias']);
    assert.equal((await c.describeCollection({ collection_name: 'c' })).aliases[0], 'c_alias');

    // loading needs an index on every vector field
    await assert.rejects(c.loadCollection({ collection_name: 'c' }), /IndexNotExist.*there is no vector index on field/);
    assert.equal((await c.createIndex({ collection_name: 'c', field_name: 'vec', index_name: 'vi', index_type: 'HNSW', metric_type: 'COSINE', params: { M: 8, efConstruction: 64 } })).error_code, 'Success');
    // the same index again is a no-op with its key/value pairs in any order (datacoord compares them as pairs; the
    // real Milvus 2.3.5 answers the same, test/real/binlog.test.ts); a value written otherwise or another name is refused
    const again = (extra: Record<string, string>, name = 'vi') => c.createIndex({ collection_name: 'c', field_name: 'vec', index_name: name, extra_params: extra } as never);
    assert.equal((await again({ metric_type: 'COSINE', params: '{"M":8,"efConstruction":64}', index_type: 'HNSW' })).error_code, 'Success');
    assert.notEqual((await again({ index_type: 'HNSW', metric_type: 'COSINE', params: '{ "M": 8, "efConstruction": 64 }' })).error_code, 'Success');
    assert.notEqual((await again({ index_type: 'HNSW', metric_type: 'COSINE', params: '{"M":"8","efConstruction":64}' })).error_code, 'Success');
    assert.notEqual((await again({ index_type: 'HNSW', metric_type: 'COSINE', params: '{"M":8,"efConstruction":64}' }, 'other')).error_code, 'Success');
    const di = await c.describeIndex({ collection_name: 'c' });
    assert.equal(di.index_descriptions.length, 1);
    assert.equal(di.index_descriptions[0].index_name, 'vi');
    assert.equal(di.index_descriptions[0].field_name, 'vec');
    const params = Object.fromEntries(di.index_descriptions[0].params.map((p) => [p.key, p.value]));
    assert.equal(params.index_type, 'HNSW');
    assert.equal(params.metric_type, 'COSINE');
    assert.equal(di.index_descriptions[0].state, 'Finished');

    assert.equal((await c.getLoadState({ collection_name: 'c' })).state, 'LoadStateNotLoad');
    assert.equal((await c.loadCollection({ collection_name: 'c' })).error_code, 'Success');
    assert.equal((await c.getLoadState({ collection_name: 'c' })).state, 'LoadStateLoaded');
    assert.equal((await c.getLoadingProgress({ collection_name: 'c' })).progress, '100');
    assert.equal((await c.dropIndex({ collection_name: 'c', field_name: 'vec', index_name: 'vi' })).code, 1100, 'no drop while loaded');
    assert.equal((await c.releaseCollection({ collection_name: 'c' })).error_code, 'Success');
    assert.equal((await c.getLoadState({ collection_name: 'c' })).state, 'LoadStateNotLoad');
    assert.equal((await c.dropIndex({ collection_name: 'c', field_name: 'vec', index_name: 'vi' })).error_code, 'Success');
    assert.equal((await c.describeIndex({ collection_name: 'c' })).status.code, 700);

    const r = await rest(env.sims[0].address, 'collections/describe', { collectionName: 'c' });
    assert.equal(r.json.code, 0);
    assert.deepEqual(r.json.data.fields.map((f: { name: string; id: number }) => [f.name, f.id]), [['id', 100], ['vec', 101], ['title', 102]]);
    assert.equal(r.json.data.aliases[0], 'c_alias');
  } finally {
    await env.stop();
  }
});

test('the catalog persists in the data dir: a restart keeps databases, collections, ids', async () => {
  const env = await startEnv();
  try {
    const sim = env.sims[0];
    const c = env.client(sim);
    await c.createDatabase({ db_name: 'keep' });
    await c.createCollection({ db_name: 'keep', collection_name: 'kc', fields: simpleFields() });
    const before = await c.describeCollection({ db_name: 'keep', collection_name: 'kc' });
    const dir = env.dirs[0];
    await c.closeConnection();
    await sim.stop();
    env.sims.splice(0, 1);
    const again = await startMilvusSim({ version: 'v2.5.14', dataDir: dir, dataPlane: null });
    env.sims.push(again);
    const c2 = env.client(again);
    const after = await c2.describeCollection({ db_name: 'keep', collection_name: 'kc' });
    assert.equal(after.collectionID, before.collectionID);
    assert.deepEqual(after.virtual_channel_names, before.virtual_channel_names);
    assert.deepEqual((await c2.listDatabases()).db_names, ['default', 'keep']);
  } finally {
    await env.stop();
  }
});
