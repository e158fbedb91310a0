import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ColumnInfo, decodeDeltaLog, decodeHeader, decodeInsertLog, encodeDeltaLog, encodeInsertLog } from '../../milvus-sim/data/binlogCodec';
import { decodeBinlog } from '../../milvus-sim/data/binlog/events';
import type { Value } from '../../milvus-sim/data/api';

const H = { collectionId: '449000000000000001', partitionId: '449000000000000002', segmentId: '449000000000000003', storageVersion: 0, timestampFrom: '449000000000000010', timestampTo: '449000000000000020' };
const FIXTURES = join(__dirname, 'fixtures', 'milvus-2.3.5');

function roundTrip(col: ColumnInfo, values: Value[], version = { major: 2, minor: 5 }) {
  const buf = encodeInsertLog({ ...H, fieldId: col.fieldId, columns: [col], version }, values);
  return { buf, ...decodeInsertLog(buf) };
}

const f32 = (xs: number[]) => xs.map(Math.fround);
const sparseRow = (pairs: Array<[number, number]>) => {
  const b = Buffer.alloc(pairs.length * 8);
  pairs.forEach(([i, v], k) => {
    b.writeUInt32LE(i, k * 8);
    b.writeFloatLE(v, k * 8 + 4);
  });
  return b;
};

const CASES: Array<{ col: ColumnInfo; values: Value[] }> = [
  { col: { fieldId: 0, dataType: 'Int64' }, values: [449_123_456_789_012_345n, -(2n ** 63n), 2n ** 63n - 1n] },
  { col: { fieldId: 101, dataType: 'Bool' }, values: [true, false, true, true, false, false, false, false, true] },
  { col: { fieldId: 102, dataType: 'Int8' }, values: [-128, 0, 127] },
  { col: { fieldId: 103, dataType: 'Int16' }, values: [-32768, 1, 32767] },
  { col: { fieldId: 104, dataType: 'Int32' }, values: [-(2 ** 31), 7, 2 ** 31 - 1] },
  { col: { fieldId: 105, dataType: 'Float' }, values: f32([1.5, -0.1, 3.4e38]) },
  { col: { fieldId: 106, dataType: 'Double' }, values: [0.1, -1e300, Number.MAX_VALUE] },
  { col: { fieldId: 107, dataType: 'VarChar' }, values: ['plain', 'ünïcødé\n"q"', ''] },
  { col: { fieldId: 108, dataType: 'JSON' }, values: [Buffer.from('{"a":1}'), Buffer.from('[1,"x"]'), Buffer.from('null')] },
  { col: { fieldId: 109, dataType: 'Array', elementType: 'Int64' }, values: [[1n, -2n, 2n ** 62n], [], [0n]] },
  { col: { fieldId: 110, dataType: 'Array', elementType: 'VarChar' }, values: [['a', 'bc'], [], ['ü']] },
  { col: { fieldId: 111, dataType: 'Array', elementType: 'Int32' }, values: [[-1, 2 ** 31 - 1], [0], []] },
  { col: { fieldId: 112, dataType: 'Array', elementType: 'Double' }, values: [[0.25, -1e10], [], [Math.PI]] },
  { col: { fieldId: 113, dataType: 'Array', elementType: 'Float' }, values: [f32([0.1, 2]), [], [0]] },
  { col: { fieldId: 114, dataType: 'Array', elementType: 'Bool' }, values: [[true, false], [], [true]] },
  { col: { fieldId: 115, dataType: 'FloatVector', dim: 4 }, values: [f32([0.1, -0.2, 0.3, 4]), [0, 0, 0, 0], f32([1e-3, 2, -3, 1e30])] },
  { col: { fieldId: 116, dataType: 'BinaryVector', dim: 16 }, values: [Buffer.from([0xff, 0x01]), Buffer.from([0, 0]), Buffer.from([0x80, 0x7f])] },
  { col: { fieldId: 117, dataType: 'Float16Vector', dim: 2 }, values: [Buffer.from([0, 0x3c, 0, 0xc0]), Buffer.alloc(4), Buffer.from([1, 2, 3, 4])] },
  { col: { fieldId: 118, dataType: 'BFloat16Vector', dim: 2 }, values: [Buffer.from([0x80, 0x3f, 0, 0]), Buffer.alloc(4), Buffer.from([9, 8, 7, 6])] },
  { col: { fieldId: 119, dataType: 'Int8Vector', dim: 3 }, values: [Buffer.from([0x81, 0, 0x7f]), Buffer.alloc(3), Buffer.from([1, 2, 3])] },
  { col: { fieldId: 120, dataType: 'SparseFloatVector' }, values: [sparseRow([[1, 0.5], [1000, 2]]), sparseRow([[7, 1]]), sparseRow([])] },
  { col: { fieldId: 121, dataType: 'Geometry' }, values: [Buffer.from('0101000000000000000000f03f0000000000000040', 'hex'), Buffer.from('0101000000000000000000000000000000000000', 'hex')] },
  { col: { fieldId: 122, dataType: 'Timestamptz' }, values: [1_700_000_000_000_000n, -1n] },
  { col: { fieldId: 123, dataType: 'Text' }, values: ['a longer text', ''] },
  // nullable (2.5+): nulls are the Parquet column's missing definition levels (Milvus's valid bits)
  { col: { fieldId: 130, dataType: 'Int64', nullable: true }, values: [1n, null, 3n] },
  { col: { fieldId: 131, dataType: 'VarChar', nullable: true }, values: [null, 'x', null] },
  { col: { fieldId: 132, dataType: 'JSON', nullable: true }, values: [Buffer.from('{}'), null] },
  { col: { fieldId: 133, dataType: 'Array', elementType: 'Int16', nullable: true }, values: [[1, -2], null, []] },
  { col: { fieldId: 134, dataType: 'Bool', nullable: true }, values: [null, true, false] },
  { col: { fieldId: 135, dataType: 'Float', nullable: true }, values: [null, 1.5] },
  { col: { fieldId: 136, dataType: 'FloatVector', dim: 2, nullable: true }, values: [[1, 2], null, [3, 4]] },
];

describe('binlog files (Milvus storage v1): writer → reader per data type', () => {
  for (const { col, values } of CASES) {
    it(`${col.dataType}${col.elementType ? `<${col.elementType}>` : ''}${col.nullable ? ' nullable' : ''}`, () => {
      const { buf, header, values: back } = roundTrip(col, values);
      assert.deepStrictEqual(back, values);
      assert.equal(header.kind, 'insert');
      assert.equal(header.fieldId, col.fieldId);
      assert.equal(header.dataType, col.dataType);
      assert.equal(header.rows, values.length);
      assert.equal(header.collectionId, H.collectionId);
      assert.equal(header.segmentId, H.segmentId);
      assert.equal(header.timestampFrom, H.timestampFrom);
      assert.equal(header.timestampTo, H.timestampTo);
      // the framing Milvus reads: magic, descriptor extras with original_size, the 2.5+ nullable flag
      assert.equal(buf.readInt32LE(0), 0xfffabc);
      const { descriptor, events } = decodeBinlog(buf);
      assert.equal(typeof descriptor.extras.original_size, 'string');
      assert.equal(descriptor.extras.nullable, !!col.nullable);
      assert.equal(events.length, 1);
      assert.equal(events[0].payload.subarray(0, 4).toString(), 'PAR1');
    });
  }

  it('Milvus 2.3 writes no nullable extra; refuses a null in a non-nullable column', () => {
    const { buf } = roundTrip({ fieldId: 100, dataType: 'Int64' }, [1n], { major: 2, minor: 3 });
    assert.deepEqual(decodeBinlog(buf).descriptor.extras, { original_size: '8' });
    assert.throws(() => roundTrip({ fieldId: 100, dataType: 'Int64' }, [1n, null]), /null in the non-nullable/);
  });

  it('delta logs hold one DeleteLog JSON per entry, int64 and varchar keys exact', () => {
    for (const entries of [[{ pk: 2n ** 62n + 1n, ts: 449_000_000_000_000_001n }, { pk: -5n, ts: 449_000_000_000_000_002n }], [{ pk: 'key "q"', ts: 449_000_000_000_000_003n }]]) {
      const buf = encodeDeltaLog(H, entries);
      const { header, entries: back } = decodeDeltaLog(buf);
      assert.equal(header.kind, 'delta');
      assert.deepStrictEqual(back, entries);
      const { descriptor } = decodeBinlog(buf);
      assert.equal(descriptor.fieldId, -1n);
      assert.equal(descriptor.payloadDataType, 20); // String
      assert.equal(decodeHeader(buf).kind, 'delta');
    }
  });

  it('damaged or mismatched files fail as Milvus reports them', () => {
    const good = roundTrip({ fieldId: 100, dataType: 'Int64' }, [1n, 2n]).buf;
    assert.throws(() => decodeInsertLog(Buffer.from('garbage!')), /parse magic number failed, expected: 16775868, actual: /);
    assert.throws(() => decodeInsertLog(good.subarray(0, 40)), /unexpected EOF/);
    assert.throws(() => decodeInsertLog(good.subarray(0, good.length - 10)), /runs past the file/);
    assert.throws(() => decodeDeltaLog(good), /wrong binlog type, expect:DeleteEventType, actual:InsertEventType/);
    assert.throws(() => decodeInsertLog(encodeDeltaLog(H, [{ pk: 1n, ts: 2n }])), /wrong binlog type, expect:InsertEventType, actual:DeleteEventType/);
    const corrupt = Buffer.from(good);
    corrupt.fill(0x55, corrupt.length - 60, corrupt.length - 20); // inside the Parquet payload
    assert.throws(() => decodeInsertLog(corrupt));
  });
});

describe('binlog files written by the real Milvus 2.3.5 (fixtures from its bucket)', () => {
  const read = (name: string) => decodeInsertLog(readFileSync(join(FIXTURES, name)));
  // The rows the fixture collection got: pk 1000+i, b i%2==0, i8 -i, i16 300+i, i32 70000+i, f 1.5+i, d 2.25+i,
  // s 'str'+i, j {"k":i,"arr":[i,"x"]}, ai [i,i+1], as ['a'+i], v [i,0.5,-1,2], dynamic {dyn:'d'+i}; pk 1001, 1003 deleted.
  const I = [0, 1, 2, 3, 4];
  it('decodes every field to the inserted values', () => {
    assert.deepStrictEqual(read('insert_100_pk.binlog').values, I.map((i) => BigInt(1000 + i)));
    assert.deepStrictEqual(read('insert_101_b.binlog').values, I.map((i) => i % 2 === 0));
    assert.deepStrictEqual(read('insert_102_i8.binlog').values, I.map((i) => (i === 0 ? 0 : -i)));
    assert.deepStrictEqual(read('insert_103_i16.binlog').values, I.map((i) => 300 + i));
    assert.deepStrictEqual(read('insert_104_i32.binlog').values, I.map((i) => 70000 + i));
    assert.deepStrictEqual(read('insert_105_f.binlog').values, I.map((i) => 1.5 + i));
    assert.deepStrictEqual(read('insert_106_d.binlog').values, I.map((i) => 2.25 + i));
    assert.deepStrictEqual(read('insert_107_s.binlog').values, I.map((i) => `str${i}`));
    assert.deepStrictEqual(read('insert_108_j.binlog').values.map(String), I.map((i) => `{"k":${i},"arr":[${i},"x"]}`));
    assert.deepStrictEqual(read('insert_109_ai.binlog').values, I.map((i) => [BigInt(i), BigInt(i + 1)]));
    assert.deepStrictEqual(read('insert_110_as.binlog').values, I.map((i) => [`a${i}`]));
    assert.deepStrictEqual(read('insert_111_v.binlog').values, I.map((i) => [i, 0.5, -1, 2]));
    assert.deepStrictEqual(read('insert_112_meta.binlog').values.map(String), I.map((i) => `{"dyn":"d${i}"}`));
    const rowIds = read('insert_0_rowid.binlog');
    const ts = read('insert_1_ts.binlog');
    assert.equal(rowIds.values.length, 5);
    assert.ok(rowIds.values.every((v) => typeof v === 'bigint' && v > 2n ** 53n));
    assert.ok(ts.values.every((v) => v === BigInt(ts.header.timestampFrom)));
    assert.equal(rowIds.header.dataType, 'Int64');
    assert.equal(rowIds.header.storageVersion, 0);
  });

  it('decodes its delta log', () => {
    const { header, entries } = decodeDeltaLog(readFileSync(join(FIXTURES, 'delta.binlog')));
    assert.deepStrictEqual(entries.map((e) => e.pk).sort(), [1001n, 1003n]);
    assert.ok(entries.every((e) => e.ts === BigInt(header.timestampFrom)));
  });

  it('our writer gives the same framing and values for the same column', () => {
    for (const name of ['insert_100_pk.binlog', 'insert_107_s.binlog', 'insert_109_ai.binlog', 'insert_111_v.binlog']) {
      const theirs = readFileSync(join(FIXTURES, name));
      const t = decodeBinlog(theirs).descriptor;
      const d = decodeInsertLog(theirs);
      const col: ColumnInfo = { fieldId: Number(t.fieldId), dataType: d.header.dataType!, elementType: name.includes('_ai') ? 'Int64' : undefined, dim: name.includes('_v') ? 4 : undefined };
      const ours = encodeInsertLog(
        { collectionId: d.header.collectionId, partitionId: d.header.partitionId, segmentId: d.header.segmentId, storageVersion: 0, version: { major: 2, minor: 3 }, timestampFrom: d.header.timestampFrom, timestampTo: d.header.timestampTo, fieldId: col.fieldId, columns: [col] },
        d.values,
      );
      const o = decodeBinlog(ours).descriptor;
      assert.deepStrictEqual({ ...o, timestamp: 0n }, { ...t, timestamp: 0n }, name); // ids, ts, type, extras (original_size) alike
      assert.deepStrictEqual(decodeInsertLog(ours).values, d.values, name);
      // the fixed descriptor bytes after the header timestamp are identical
      assert.deepStrictEqual(ours.subarray(12, 4 + 17 + 52 + 8 + 4), theirs.subarray(12, 4 + 17 + 52 + 8 + 4), name);
    }
  });
});
