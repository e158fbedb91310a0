import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { collectionInfoFrom, convIndex, convSchema, loadStateOf } from '../../../src/core/backup/ddl';
import { decodeMessage, VALUE_FIELD } from '../../../src/core/milvus/proto';
import { stringifyMeta } from '../../../src/core/meta/codec';
import * as S from '../../../src/core/meta/schema';

/** DescribeCollection (raw proto, as the SDK's loader returns it) → the meta's CollectionSchema (Go `core/proto/backup.proto`, `core/backup/coll_ddl_task.go`). */
const described = {
  collectionID: '449000000000000123',
  db_name: 'shop',
  collection_name: 'docs',
  shards_num: 2,
  consistency_level: 'Session',
  properties: [{ key: 'mmap.enabled', value: 'true' }],
  db_id: '449000000000000001',
  created_timestamp: '455000000000000001',
  virtual_channel_names: ['dml_0_449000000000000123v0', 'dml_1_449000000000000123v1'],
  physical_channel_names: ['dml_0', 'dml_1'],
  aliases: ['d'],
  schema: {
    name: 'docs', description: 'documents', autoID: false, enable_dynamic_field: true,
    properties: [{ key: 'schema.prop', value: 'x' }],
    fields: [
      { fieldID: '100', name: 'id', is_primary_key: true, data_type: 'VarChar', type_params: [{ key: 'max_length', value: '64' }], autoID: false, state: 'FieldCreated', element_type: 'None', default_value: null },
      { fieldID: '101', name: 'text', data_type: 'VarChar', type_params: [{ key: 'max_length', value: '1000' }, { key: 'enable_analyzer', value: 'true' }], default_value: { string_data: 'n/a', data: 'string_data' } },
      { fieldID: '102', name: 'sparse', data_type: 'SparseFloatVector', is_function_output: true },
      { fieldID: '103', name: 'tenant', data_type: 'Int64', is_partition_key: true, default_value: { long_data: '449000000000000999', data: 'long_data' } },
      { fieldID: '104', name: 'tags', data_type: 'Array', element_type: 'VarChar', nullable: true, type_params: [{ key: 'max_capacity', value: '8' }] },
    ],
    functions: [{
      name: 'bm25', id: '7', description: '', type: 'BM25', input_field_names: ['text'], input_field_ids: ['101'],
      output_field_names: ['sparse'], output_field_ids: ['102'], params: [],
    }],
    struct_array_fields: [{ fieldID: '105', name: 'chunks', description: 'c', fields: [{ fieldID: '106', name: 'emb', data_type: 'ArrayOfVector', element_type: 'FloatVector', type_params: [{ key: 'dim', value: '4' }] }] }],
  },
};

describe('DDL conversion', () => {
  test('schema: types as integers, defaults as base64 ValueField, functions, struct arrays, properties', () => {
    const s = convSchema(described.schema);
    assert.deepEqual(s.fields.map((f) => [f.fieldID, f.dataType, f.elementType]), [[100n, 21, 0], [101n, 21, 0], [102n, 104, 0], [103n, 5, 0], [104n, 22, 21]]);
    assert.equal(s.fields[0]!.isPrimaryKey, true);
    assert.equal(s.fields[0]!.defaultValueBase64, '');
    assert.equal(s.fields[0]!.state, 0, 'Go does not copy the field state');
    assert.deepEqual(decodeMessage(VALUE_FIELD, Buffer.from(s.fields[1]!.defaultValueBase64, 'base64')), { string_data: 'n/a', data: 'string_data' });
    assert.deepEqual(decodeMessage(VALUE_FIELD, Buffer.from(s.fields[3]!.defaultValueBase64, 'base64')), { long_data: '449000000000000999', data: 'long_data' });
    assert.equal(s.fields[2]!.isFunctionOutput, true);
    assert.equal(s.fields[3]!.isPartitionKey, true);
    assert.equal(s.fields[4]!.nullable, true);
    assert.equal(s.enableDynamicField, true);
    assert.deepEqual(s.functions.map((f) => [f.name, f.type, f.inputFieldIds, f.outputFieldNames]), [['bm25', 1, [101n], ['sparse']]]);
    assert.equal(s.structArrayFields[0]!.fields[0]!.dataType, 106);
    assert.equal(s.structArrayFields[0]!.fields[0]!.elementType, 101);
    assert.deepEqual(s.properties, [{ key: 'schema.prop', value: 'x' }]);
  });

  test('collection info and its Go JSON', () => {
    const idx = convIndex({ index_name: 'sp', indexID: '449000000000000500', field_name: 'sparse', params: [{ key: 'index_type', value: 'SPARSE_INVERTED_INDEX' }, { key: 'metric_type', value: 'BM25' }] });
    const c = collectionInfoFrom('task-1', described, [idx], loadStateOf(37));
    assert.equal(c.loadState, 'Loading');
    assert.equal(c.consistencyLevel, 1);
    assert.equal(c.collectionId, 449000000000000123n);
    assert.equal(c.dbId, 449000000000000001n);
    assert.deepEqual(c.aliases, ['d']);
    const json = stringifyMeta(S.CollectionBackupInfoDesc, c);
    assert.match(json, /^\{"id":"task-1","collection_id":449000000000000123,"db_name":"shop","collection_name":"docs","schema":\{"name":"docs"/);
    assert.match(json, /"index_infos":\[\{"field_name":"sparse","index_name":"sp","index_type":"SPARSE_INVERTED_INDEX","params":\{"index_type":"SPARSE_INVERTED_INDEX","metric_type":"BM25"\},"index_id":449000000000000500\}\]/);
    assert.match(json, /"has_index":true/);
    assert.equal(loadStateOf(0), 'NotLoad');
    assert.equal(loadStateOf(100), 'Loaded');
  });
});
