/**
 * Brute-force vector distances with Milvus's metric conventions: L2 returns the squared Euclidean distance
 * (smaller is closer), IP the inner product and COSINE the cosine similarity (larger is closer); HAMMING and
 * JACCARD on binary vectors are distances (smaller is closer). Sparse vectors (SparseFloatArray rows:
 * little-endian uint32 index + float32 value pairs) support IP (and BM25, scored as IP here).
 */
import type { DataTypeName, Value } from './api';

export function largerIsCloser(metric: string): boolean {
  const m = metric.toUpperCase();
  return m === 'IP' || m === 'COSINE' || m === 'BM25';
}

function f16(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * Math.pow(2, -14) * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * Math.pow(2, e - 15) * (1 + f / 1024);
}

function bf16(h: number): number {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(h << 16);
  return b.readFloatLE(0);
}

/** Dense float view of a vector value of the given field type. */
export function toFloats(v: Value, dataType: DataTypeName): number[] {
  if (Array.isArray(v)) return v.map(Number);
  if (!Buffer.isBuffer(v)) return [];
  switch (dataType) {
    case 'Float16Vector': {
      const out: number[] = [];
      for (let i = 0; i + 1 < v.length; i += 2) out.push(f16(v.readUInt16LE(i)));
      return out;
    }
    case 'BFloat16Vector': {
      const out: number[] = [];
      for (let i = 0; i + 1 < v.length; i += 2) out.push(bf16(v.readUInt16LE(i)));
      return out;
    }
    case 'Int8Vector':
      return [...new Int8Array(v.buffer, v.byteOffset, v.length)];
    default: {
      const out: number[] = [];
      for (let i = 0; i + 3 < v.length; i += 4) out.push(v.readFloatLE(i));
      return out;
    }
  }
}

function sparse(v: Value): Map<number, number> {
  const m = new Map<number, number>();
  if (!Buffer.isBuffer(v)) return m;
  for (let i = 0; i + 7 < v.length; i += 8) m.set(v.readUInt32LE(i), v.readFloatLE(i + 4));
  return m;
}

function popcount(x: number): number {
  x = x - ((x >> 1) & 0x55);
  x = (x & 0x33) + ((x >> 2) & 0x33);
  return (x + (x >> 4)) & 0x0f;
}

export function score(metric: string, dataType: DataTypeName, query: Value, target: Value): number {
  const m = metric.toUpperCase();
  if (dataType === 'BinaryVector') {
    const a = Buffer.isBuffer(query) ? query : Buffer.from([]);
    const b = Buffer.isBuffer(target) ? target : Buffer.from([]);
    let diff = 0;
    let inter = 0;
    let union = 0;
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      diff += popcount(a[i] ^ b[i]);
      inter += popcount(a[i] & b[i]);
      union += popcount(a[i] | b[i]);
    }
    if (m === 'JACCARD') return union === 0 ? 0 : 1 - inter / union;
    return diff; // HAMMING (and the default for binary)
  }
  if (dataType === 'SparseFloatVector') {
    const a = sparse(query);
    const b = sparse(target);
    let dot = 0;
    for (const [k, x] of a) dot += x * (b.get(k) ?? 0);
    return dot;
  }
  const a = toFloats(query, dataType);
  const b = toFloats(target, dataType);
  const n = Math.min(a.length, b.length);
  if (m === 'L2') {
    let s = 0;
    for (let i = 0; i < n; i++) s += (a[i] - b[i]) ** 2;
    return s;
  }
  let dot = 0;
  for (let i = 0; i < n; i++) dot += a[i] * b[i];
  if (m === 'COSINE') {
    let na = 0;
    let nb = 0;
    for (let i = 0; i < n; i++) {
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
  }
  return dot;
}
