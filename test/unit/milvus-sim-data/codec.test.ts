import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TsoAllocator, physicalMs } from '../../milvus-sim/data/allocator';
import { hashInt64, hashString, murmur3_32 } from '../../milvus-sim/data/hash';

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
