import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeDeltaLog, decodeHeader, decodeInsertLog, encodeDeltaLog, encodeInsertLog } from '../../milvus-sim/data/binlogCodec';
import { TsoAllocator, physicalMs } from '../../milvus-sim/data/allocator';
import { hashInt64, hashString, murmur3_32 } from '../../milvus-sim/data/hash';
import type { Value } from '../../milvus-sim/data/api';

const H = { collectionId: '1', partitionId: '2', segmentId: '3', storageVersion: 0, timestampFrom: '1', timestampTo: '9' };

describe('binlog codec', () => {
  it('round-trips every Value kind exactly', () => {
    const values: Value[] = [
      true,
      false,
      0,
      -0,
      1.5,
      3.4028234663852886e38,
      NaN,
      Infinity,
      -Infinity,
      2n ** 63n - 1n,
      -(2n ** 63n),
      449_123_456_789_012_345n,
      'plain',
      'ünïcødé\n"quoted"\t{"$i":"1"}',
      '',
      Buffer.from([0, 1, 2, 255]),
      Buffer.alloc(0),
      Buffer.from('{"a":1}'),
      null,
      [0.1, -0, 2],
      [],
      [1n, 2n],
      ['a', null, 'b'],
      [[1, 2], [3]],
      [true, false],
      [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 1e300], // float64 vector
      [0.5, -0, 1, 2, 3, 4, 5, 6.25, Math.fround(0.1)], // float32 vector, -0 kept
      [1, 2, 3, 4, 5, 6, 7, NaN], // not all finite: element-wise
    ];
    const buf = encodeInsertLog({ ...H, fieldId: 101, dataType: 'Array' }, values);
    const { header, values: back } = decodeInsertLog(buf);
    assert.equal(header.rows, values.length);
    assert.equal(header.fieldId, 101);
    assert.equal(back.length, values.length);
    values.forEach((v, i) => {
      const b = back[i];
      if (typeof v === 'number' && Number.isNaN(v)) assert.ok(Number.isNaN(b as number));
      else if (typeof v === 'number') assert.ok(Object.is(v, b), `index ${i}: ${String(v)} vs ${String(b)}`);
      else if (i !== 27) assert.deepStrictEqual(b, v, `index ${i}`);
    });
    assert.ok(Object.is((back[19] as number[])[1], -0));
    assert.ok(Object.is((back[26] as number[])[1], -0));
    assert.ok(Number.isNaN((back[27] as number[])[7]));
    assert.deepEqual((back[27] as number[]).slice(0, 7), [1, 2, 3, 4, 5, 6, 7]);
    assert.equal(decodeHeader(buf).kind, 'insert');
    assert.throws(() => decodeDeltaLog(buf), /wrong binlog type/);
  });

  it('delta logs keep int64 and varchar keys with their timestamps', () => {
    const entries = [
      { pk: 2n ** 60n, ts: 449_000_000_000_000_001n },
      { pk: 'key', ts: 449_000_000_000_000_002n },
    ];
    const { header, entries: back } = decodeDeltaLog(encodeDeltaLog(H, entries));
    assert.equal(header.kind, 'delta');
    assert.deepStrictEqual(back, entries);
    assert.throws(() => decodeInsertLog(Buffer.from('garbage')), /not a binlog/);
  });
});

describe('TSO allocator and Milvus hashes', () => {
  it('hands out increasing hybrid timestamps far above 2^53, surviving a restart with a clock behind', () => {
    let now = 1_700_000_000_000;
    const a = new TsoAllocator(undefined, () => now);
    const t1 = a.alloc();
    assert.ok(t1 > 2n ** 53n);
    assert.equal(physicalMs(t1), now);
    const r = a.allocRange(1000);
    assert.ok(r > t1);
    const t2 = a.alloc();
    assert.equal(t2, r + 1000n);
    now -= 60_000; // the clock went back across a restart
    const b = new TsoAllocator(a.state(), () => now);
    assert.ok(b.alloc() > t2);
  });

  it('murmur3 and crc32 as Milvus uses them', () => {
    assert.equal(murmur3_32(Buffer.from('hello')), 0x248bfa47);
    assert.equal(murmur3_32(Buffer.from('The quick brown fox jumps over the lazy dog')), 0x2e4ff723);
    assert.equal(hashString('hello'), 0x3610a686);
    assert.equal(hashString('x'.repeat(100)), hashString('x'.repeat(100) + 'tail'), 'only the first 100 bytes count');
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(-5n);
    assert.equal(hashInt64(-5n), murmur3_32(b));
  });
});
