import assert from 'node:assert/strict';
import { test } from 'node:test';
import { atLeast, featuresOf, parseVersion, restoreCompatibility } from '../../../src/core/milvus/version';
import { checkStatus, MilvusError } from '../../../src/core/milvus/status';
import { decodeMessage, encodeMessage, enumName, enumValue, SCHEMA, VALUE_FIELD } from '../../../src/core/milvus/proto';

test('parses strict, hotfix, dev and cloud version strings like the Go tool', () => {
  assert.deepEqual(
    [parseVersion('v2.5.14'), parseVersion('v2.4.23.1'), parseVersion('2.6-20260404-abc'), parseVersion('Zilliz Cloud (Compatible with Milvus 2.6)')].map(
      (v) => [v.major, v.minor, v.patch, v.parsed],
    ),
    [[2, 5, 14, true], [2, 4, 23, true], [2, 6, 9999, true], [2, 6, 9999, true]],
  );
  const odd = parseVersion('master-dev');
  assert.equal(odd.major, 99);
  assert.equal(odd.parsed, false);
});

test('feature flags switch at the documented versions', () => {
  const f = (s: string) => featuresOf(parseVersion(s));
  assert.equal(f('v2.4.2').describeDatabase, false);
  assert.equal(f('v2.4.3').describeDatabase, true);
  assert.equal(f('v2.5.7').getSegmentInfo, false);
  assert.equal(f('v2.5.8').getSegmentInfo, true);
  assert.equal(f('v2.5.0').replicateMessage, true);
  assert.equal(f('v2.6.0').replicateMessage, false);
  assert.equal(f('v2.6.4').multiL0InOneJob, false);
  assert.equal(f('v2.6.5').multiL0InOneJob, true);
  assert.equal(f('v2.6.7').collectionLevelGC, false);
  assert.equal(f('v2.6.8').collectionLevelGC, true);
  assert.equal(f('v2.6.10').flushAll, false);
  assert.equal(f('v2.6.11').flushAll, true);
  assert.equal(f('v2.3.22').l0Segments, false);
  assert.ok(atLeast(parseVersion('v3.0.0'), 2, 6, 11));
});

test('restore compatibility follows the published matrix', () => {
  const ok = (a: string, b: string) => restoreCompatibility(parseVersion(a), parseVersion(b)).ok;
  assert.equal(ok('v2.3.5', 'v2.4.0'), true);
  assert.equal(ok('v2.5.14', 'v2.5.1'), true);
  assert.equal(ok('v2.6.1', 'v2.5.20'), false);
  assert.equal(ok('v2.4.1', 'v2.3.22'), false);
  assert.match(restoreCompatibility(parseVersion('v2.6.1'), parseVersion('v2.5.20')).reason!, /same or a newer minor/);
});

test('status checks accept success only, and treat a missing status as unimplemented', () => {
  assert.deepEqual(checkStatus('X', { status: { error_code: 'Success', code: 0 }, value: 1 }), { status: { error_code: 'Success', code: 0 }, value: 1 });
  assert.throws(() => checkStatus('HasCollection', { status: { error_code: 'Success', code: 100, reason: 'collection not found' } }), (e) => e instanceof MilvusError && e.code === 100 && e.isNotFound);
  assert.throws(() => checkStatus('Flush', { status: { error_code: 'RateLimit', code: 8, reason: 'rate limit exceeded' } }), (e) => e instanceof MilvusError && e.isRateLimit);
  assert.throws(() => checkStatus('FlushAll', {}), (e) => e instanceof MilvusError && e.isUnimplemented);
});

test('proto helpers round-trip a schema with int64 ids beyond 2^53 and a default value', () => {
  assert.equal(enumValue('milvus.proto.schema.DataType', 'FloatVector'), 101);
  assert.equal(enumName('milvus.proto.common.SegmentLevel', 1), 'L0');
  const dv = encodeMessage(VALUE_FIELD, { long_data: '9007199254740993' });
  assert.deepEqual(decodeMessage(VALUE_FIELD, dv), { data: 'long_data', long_data: '9007199254740993' });
  const bytes = encodeMessage(SCHEMA, {
    name: 'coll',
    enable_dynamic_field: true,
    fields: [
      { fieldID: '100', name: 'id', is_primary_key: true, data_type: 'Int64' },
      { fieldID: '101', name: 'v', data_type: 'FloatVector', type_params: [{ key: 'dim', value: '4' }] },
    ],
  });
  const back = decodeMessage(SCHEMA, bytes) as { fields: Array<Record<string, unknown>>; enable_dynamic_field: boolean };
  assert.equal(back.enable_dynamic_field, true);
  assert.equal(back.fields[1].data_type, 'FloatVector');
  assert.equal(back.fields[0].fieldID, '100');
});
