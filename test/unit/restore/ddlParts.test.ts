import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newFieldSchema, newFunctionSchema, newIndexInfo, newRBACMeta } from '../../../src/core/meta';
import { decodeMessage, encodeMessage, FIELD_SCHEMA, SCHEMA, VALUE_FIELD } from '../../../src/core/milvus/proto';
import { createProperties, numPartitionsFor, shardsFor } from '../../../src/core/restore/ddl';
import { indexRequests, isSpecialIndexName } from '../../../src/core/restore/indexes';
import { rbacDelta } from '../../../src/core/restore/rbac';
import { schemaForCreate } from '../../../src/core/restore/schemaConv';
import { coll } from './helpers';

describe('restore DDL parts', () => {
  test('schema bytes: target name, default values, functions, dynamic split, partition key', () => {
    const c = coll('default', 'docs');
    const dv = encodeMessage(VALUE_FIELD, { int_data: 7 }).toString('base64');
    c.schema!.enableDynamicField = true;
    c.schema!.fields.push(
      newFieldSchema({ fieldID: 102n, name: 'text', dataType: 21, typeParams: [{ key: 'max_length', value: '256' }, { key: 'enable_analyzer', value: 'true' }] }),
      newFieldSchema({ fieldID: 103n, name: 'sparse', dataType: 104, isFunctionOutput: true }),
      newFieldSchema({ fieldID: 104n, name: 'cat', dataType: 4, isPartitionKey: true, defaultValueBase64: dv, nullable: true }),
      newFieldSchema({ fieldID: 106n, name: 'late', dataType: 4, nullable: true }),
      newFieldSchema({ fieldID: 105n, name: '$meta', dataType: 23, isDynamic: true }),
    );
    c.schema!.functions.push(newFunctionSchema({ name: 'bm25', id: 1n, type: 1, inputFieldNames: ['text'], inputFieldIds: [102n], outputFieldNames: ['sparse'], outputFieldIds: [103n] }));
    c.schema!.properties.push({ key: 'collection.ttl.seconds', value: '60' });
    const s = schemaForCreate(c.schema!, 'docs_bak', { skip: { fieldTypeParams: ['enable_analyzer'] } });
    assert.deepEqual(s.createFieldNames, ['pk', 'vec', 'text', 'sparse', 'cat']);
    assert.deepEqual(s.addFieldNames, ['late']);
    const decoded = decodeMessage(SCHEMA, encodeMessage(SCHEMA, s.schema)) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(decoded.name, 'docs_bak');
    assert.equal(decoded.enable_dynamic_field, true);
    assert.deepEqual(decoded.fields.map((f: any) => f.fieldID), ['100', '101', '102', '103', '104']); // eslint-disable-line @typescript-eslint/no-explicit-any
    const cat = decoded.fields[4];
    assert.equal(cat.is_partition_key, true);
    assert.equal(cat.nullable, true);
    assert.equal(cat.default_value.int_data, 7);
    assert.deepEqual(decoded.fields[2].type_params, [{ key: 'max_length', value: '256' }]);
    assert.equal(decoded.fields[3].is_function_output, true);
    assert.equal(decoded.functions[0].type, 'BM25');
    assert.deepEqual(decoded.functions[0].output_field_ids, ['103']);
    assert.deepEqual(decoded.properties, [{ key: 'collection.ttl.seconds', value: '60' }]);
    const late = decodeMessage(FIELD_SCHEMA, encodeMessage(FIELD_SCHEMA, s.addFields[0]!)) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(late.fieldID, '106');
    assert.equal(late.nullable, true);
  });

  test('legacy default_value_proto (0.4) is read from the string bytes', () => {
    const raw = encodeMessage(VALUE_FIELD, { string_data: 'hi' }).toString('utf8');
    const c = coll('default', 'x');
    c.schema!.fields.push(newFieldSchema({ fieldID: 102n, name: 's', dataType: 21, defaultValueProto: raw }));
    const s = schemaForCreate(c.schema!, 'x');
    assert.equal((s.schema.fields as any[])[2].default_value.string_data, 'hi'); // eslint-disable-line @typescript-eslint/no-explicit-any
  });

  test('indexes: vector first, auto index, marisa-trie, JSON-path names sent empty', () => {
    const c = coll('default', 'x', undefined, {
      indexInfos: [
        newIndexInfo({ fieldName: 'pk', indexName: '/a/b', params: { index_type: 'INVERTED', json_path: 'a' } }),
        newIndexInfo({ fieldName: 'vec', indexName: 'vec_idx', params: { index_type: 'HNSW', metric_type: 'L2', params: '{"M":8}' } }),
      ],
    });
    const plain = indexRequests(c, false);
    assert.deepEqual(plain.map((r) => [r.fieldName, r.indexName, r.vector]), [['vec', 'vec_idx', true], ['pk', '', false]]);
    assert.deepEqual(plain[0]!.params, [{ key: 'index_type', value: 'HNSW' }, { key: 'metric_type', value: 'L2' }, { key: 'params', value: '{"M":8}' }]);
    assert.deepEqual(indexRequests(c, true)[0]!.params, [{ key: 'index_type', value: 'AUTOINDEX' }, { key: 'metric_type', value: 'L2' }]);
    assert.equal(isSpecialIndexName('_ok1'), false);
    assert.equal(isSpecialIndexName('1bad'), true);
    assert.equal(isSpecialIndexName('a-b'), true);
  });

  test('rbac: only what the target lacks is added', () => {
    const backupMeta = newRBACMeta({
      users: [{ user: 'alice', password: 'p', roles: [{ name: 'r1' }] }, { user: 'root', password: 'x', roles: [] }],
      roles: [{ name: 'r1' }, { name: 'admin' }],
      grants: [
        { role: { name: 'r1' }, object: { name: 'Collection' }, objectName: 'c', grantor: { user: { name: 'root' }, privilege: { name: 'Query' } }, dbName: 'default' },
        { role: { name: 'r1' }, object: { name: 'Collection' }, objectName: 'c', grantor: { user: { name: 'root' }, privilege: { name: 'Search' } }, dbName: 'default' },
      ],
      privilegeGroups: [{ groupName: 'g1', privileges: [{ name: 'Query' }] }],
    });
    const current = {
      users: [{ user: 'root' }],
      roles: [{ name: 'admin' }],
      grants: [{ role: { name: 'r1' }, object: { name: 'Collection' }, object_name: 'c', grantor: { user: { name: 'root' }, privilege: { name: 'Query' } }, db_name: 'default' }],
      privilege_groups: [],
    };
    const d = rbacDelta(backupMeta, current);
    assert.deepEqual(d.users.map((u) => u.user), ['alice']);
    assert.deepEqual(d.roles, [{ name: 'r1' }]);
    assert.deepEqual(d.grants.map((g) => g.grantor.privilege.name), ['Search']);
    assert.deepEqual(d.privilege_groups, [{ group_name: 'g1', privileges: [{ name: 'Query' }] }]);
  });
});

describe('restore DDL request values', () => {
  const plan = (shards: number, override = {}) => {
    const c = coll('default', 'x');
    c.shardsNum = shards;
    return { source: { db: 'default', collection: 'x' }, target: { db: 'default', collection: 'y' }, collection: c, override };
  };

  test('shards: override > min(backup, maxShardNum) > backup', () => {
    assert.equal(shardsFor(plan(4)), 4);
    assert.equal(shardsFor(plan(4), 2), 2);
    assert.equal(shardsFor(plan(1), 2), 1);
    assert.equal(shardsFor(plan(4, { shardNum: 8 }), 2), 8);
  });

  test('num_partitions only for partition-key collections; function runtime check off at creation from 2.6.8', () => {
    const p = plan(1);
    assert.equal(numPartitionsFor(p), 0);
    p.collection.schema!.fields[1]!.isPartitionKey = true;
    assert.equal(numPartitionsFor(p), 1);
    p.collection.schema!.properties.push({ key: 'mmap.enabled', value: 'true' }, { key: 'disable_func_runtime_check', value: 'false' });
    assert.deepEqual(createProperties(p, { skipParams: { collectionProperties: ['mmap.enabled'] } }, true), [{ key: 'disable_func_runtime_check', value: 'false' }]);
    p.collection.schema!.functions.push(newFunctionSchema({ name: 'f', type: 1 }));
    assert.deepEqual(createProperties(p, {}, true), [{ key: 'mmap.enabled', value: 'true' }, { key: 'disable_func_runtime_check', value: 'true' }]);
    assert.deepEqual(createProperties(p, {}, false), [{ key: 'mmap.enabled', value: 'true' }, { key: 'disable_func_runtime_check', value: 'false' }]);
  });
});
