/**
 * JSON that round-trips every row Value exactly: bigint → {"$i":"…"}, Buffer → {"$b":"<base64>"},
 * non-finite numbers and -0 → {"$f":"…"}, number arrays of ≥ 8 finite elements → {"$v32"|"$v64": <base64 IEEE bytes>}.
 * Plain JSON otherwise. Used by the binlog codec and for
 * persisting state that holds values (default values in saved CollectionViews, growing rows).
 */
import type { Value } from './api';

export function tag(v: unknown): unknown {
  if (typeof v === 'bigint') return { $i: v.toString() };
  if (Buffer.isBuffer(v)) return { $b: v.toString('base64') };
  if (v instanceof Uint8Array) return { $b: Buffer.from(v).toString('base64') };
  if (typeof v === 'number') {
    if (Object.is(v, -0)) return { $f: '-0' };
    if (!Number.isFinite(v)) return { $f: String(v) };
    return v;
  }
  if (Array.isArray(v)) {
    // Dense number arrays (vectors) go as raw IEEE bytes: exact, and ~3x smaller and faster than JSON digits.
    // float32 when every element is a float32 value (what the wire delivers), else float64.
    if (v.length >= 8 && v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      const nums = v as number[];
      if (nums.every((x) => Math.fround(x) === x)) return { $v32: Buffer.from(new Float32Array(nums).buffer).toString('base64') };
      return { $v64: Buffer.from(new Float64Array(nums).buffer).toString('base64') };
    }
    return v.map(tag);
  }
  if (v instanceof Map) return { $m: [...v.entries()].map(([k, x]) => [tag(k), tag(x)]) };
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) o[k] = tag(x);
    return o;
  }
  return v;
}

export function untag(v: unknown): any {
  if (Array.isArray(v)) return v.map(untag);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.$i === 'string' && Object.keys(o).length === 1) return BigInt(o.$i);
    if (typeof o.$b === 'string' && Object.keys(o).length === 1) return Buffer.from(o.$b, 'base64');
    if (typeof o.$f === 'string' && Object.keys(o).length === 1) return Number(o.$f);
    if (typeof o.$v32 === 'string' && Object.keys(o).length === 1) {
      const b = Buffer.from(o.$v32, 'base64');
      return Array.from(new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length)));
    }
    if (typeof o.$v64 === 'string' && Object.keys(o).length === 1) {
      const b = Buffer.from(o.$v64, 'base64');
      return Array.from(new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length)));
    }
    if (Array.isArray(o.$m) && Object.keys(o).length === 1) return new Map((o.$m as unknown[][]).map(([k, x]) => [untag(k), untag(x)]));
    const r: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) r[k] = untag(x);
    return r;
  }
  return v;
}

export function stringifyTagged(v: unknown): string {
  return JSON.stringify(tag(v));
}

export function parseTagged<T = Value>(s: string): T {
  return untag(JSON.parse(s)) as T;
}
