/**
 * The hashes Milvus routes rows with (pkg/util/typeutil/hash.go): int64 keys → murmur3-32 (seed 0) of the
 * 8 little-endian bytes (Hash32Int64); strings → CRC32-IEEE of at most the first 100 bytes
 * (HashString2Uint32). Used for pk → vchannel (HashPK2Channels) and partition key → `_default_<n>`
 * (HashKey2Partitions).
 */

export function murmur3_32(data: Buffer, seed = 0): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = seed >>> 0;
  const nblocks = data.length >> 2;
  for (let i = 0; i < nblocks; i++) {
    let k = data.readUInt32LE(i * 4);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  const tail = nblocks * 4;
  const rem = data.length & 3;
  if (rem >= 3) k ^= data[tail + 2] << 16;
  if (rem >= 2) k ^= data[tail + 1] << 8;
  if (rem >= 1) {
    k ^= data[tail];
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
  }
  h ^= data.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

let crcTable: Uint32Array | undefined;
function crc32(buf: Buffer): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function hashInt64(v: bigint): number {
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(BigInt.asIntN(64, v));
  return murmur3_32(b);
}

export function hashString(s: string): number {
  let b = Buffer.from(s, 'utf8');
  if (b.length > 100) b = b.subarray(0, 100);
  return crc32(b);
}

/** Hash of a primary-key or partition-key value as Milvus computes it. */
export function hashKey(v: unknown): number {
  if (typeof v === 'bigint') return hashInt64(v);
  if (typeof v === 'number') return hashInt64(BigInt(Math.trunc(v)));
  if (typeof v === 'string') return hashString(v);
  return hashString(String(v));
}
