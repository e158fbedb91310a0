import { isLosslessNumber, parse as losslessParse } from 'lossless-json';
import { GoObject, JsonNumber, goMarshal, goQuote, type GoValue } from './goJson';
import type { FieldDesc, Kind, MessageDesc } from './schema';
import { checkNesting, decodeMetaText } from './limits';
import { MetaFormatError } from './metaError';

/**
 * Reads and writes backup meta exactly as the Go tool does (Go `core/proto/backuppb/backup.pb.go`): Go `encoding/json` over the
 * protoc-gen-go structs, so proto field names as the json tags say, `omitempty` on every field but the few
 * marked `always`, fields in struct order, enums as integers, int64/uint64 as bare integers kept exact
 * (parsed with lossless-json, never JSON.parse), maps with sorted keys. Unknown fields are ignored on read,
 * as Go does (v0.4 extras like `start_time`, `backuped`).
 */

export { MetaFormatError } from './metaError';

const INT = /^-?\d+$/;

const keepNumberText = (text: string) => new JsonNumber(text);

/** Parses JSON text into a lossless tree: every number stays its source text (a JsonNumber). */
export function parseLossless(text: string, what = 'meta'): unknown {
  try {
    return losslessParse(text, null, keepNumberText);
  } catch (e) {
    throw new MetaFormatError(`${what}: not valid JSON: ${(e as Error).message}`);
  }
}

/** The zero value of a field kind, as Go leaves it when the JSON omits the field. */
function zero(kind: Kind): unknown {
  switch (kind) {
    case 'string': return '';
    case 'bool': return false;
    case 'int32': return 0;
    case 'int64':
    case 'uint64': return 0n;
    case 'map': return {};
    case 'raw': return undefined;
    default: return 'list' in kind ? [] : undefined;
  }
}

/** A message with every field at its zero value, then `init` applied. */
export function newMessage<T>(desc: MessageDesc, init?: Partial<T>): T {
  const o: Record<string, unknown> = {};
  for (const fd of desc.fields) {
    const z = zero(fd.kind);
    if (z !== undefined) o[fd.key] = z;
  }
  return Object.assign(o, init) as T;
}

// ---------- decode ----------

/** Decodes a lossless-parsed value into the model of `desc` (every scalar/list/map field filled in). */
export function decodeMessage<T>(desc: MessageDesc, raw: unknown, path = desc.name): T {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new MetaFormatError(`${path}: expected an object`);
  }
  const out = newMessage<Record<string, unknown>>(desc);
  const src = raw as Record<string, unknown>;
  for (const [name, value] of Object.entries(src)) {
    // Go matches keys exactly first, then case-insensitively.
    const fd = byJson(desc).get(name) ?? byJsonFolded(desc).get(name.toLowerCase());
    if (!fd || value === null) continue;
    out[fd.key] = decodeValue(fd.kind, value, `${path}.${fd.json}`);
  }
  return out as T;
}

function decodeValue(kind: Kind, v: unknown, path: string): unknown {
  switch (kind) {
    case 'string':
      if (typeof v !== 'string') throw new MetaFormatError(`${path}: expected a string`);
      return v;
    case 'bool':
      if (typeof v !== 'boolean') throw new MetaFormatError(`${path}: expected true/false`);
      return v;
    case 'int32': {
      const s = intText(v, path);
      const n = Number(s);
      if (n < -2147483648 || n > 2147483647) throw new MetaFormatError(`${path}: ${s} out of 32-bit range`);
      return n;
    }
    case 'int64':
    case 'uint64':
      return inRange(kind, BigInt(intText(v, path)), path, (m) => new MetaFormatError(m));
    case 'map': {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new MetaFormatError(`${path}: expected an object`);
      const m: Record<string, string> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (x !== null && typeof x !== 'string') throw new MetaFormatError(`${path}.${k}: expected a string`);
        // defineProperty: a key named "__proto__" must stay a plain entry, not replace the prototype
        Object.defineProperty(m, k, { value: x ?? '', enumerable: true, writable: true, configurable: true });
      }
      return m;
    }
    case 'raw':
      return v;
  }
  if ('msg' in kind) return decodeMessage(kind.msg(), v, path);
  if (!Array.isArray(v)) throw new MetaFormatError(`${path}: expected an array`);
  const of = kind.list;
  return v.map((x, i) => {
    const p = `${path}[${i}]`;
    if (of === 'string') return decodeValue('string', x, p);
    if (of === 'int64') return decodeValue('int64', x, p);
    return x === null ? undefined : decodeMessage(of.msg(), x, p);
  });
}

const RANGE = {
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
} as const;

/** Go refuses a number that does not fit the field's type; so do we, reading and writing. */
function inRange(kind: 'int64' | 'uint64', b: bigint, path: string, err: (m: string) => Error): bigint {
  const [lo, hi] = RANGE[kind];
  if (b < lo || b > hi) throw err(`${path}: ${b} does not fit a ${kind}`);
  return b;
}

function intText(v: unknown, path: string): string {
  if (v instanceof JsonNumber && INT.test(v.text)) return v.text;
  if (isLosslessNumber(v) && INT.test(v.value)) return v.value;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  if (typeof v === 'bigint') return v.toString();
  const shown = v instanceof JsonNumber ? v.text : isLosslessNumber(v) ? v.value : JSON.stringify(v);
  throw new MetaFormatError(`${path}: expected an integer, got ${shown}`);
}

const jsonIndex = new WeakMap<MessageDesc, Map<string, FieldDesc>>();
const foldedIndex = new WeakMap<MessageDesc, Map<string, FieldDesc>>();
function byJson(desc: MessageDesc): Map<string, FieldDesc> {
  let m = jsonIndex.get(desc);
  if (!m) jsonIndex.set(desc, (m = new Map(desc.fields.map((fd) => [fd.json, fd]))));
  return m;
}
function byJsonFolded(desc: MessageDesc): Map<string, FieldDesc> {
  let m = foldedIndex.get(desc);
  if (!m) foldedIndex.set(desc, (m = new Map(desc.fields.map((fd) => [fd.json.toLowerCase(), fd]))));
  return m;
}

// ---------- encode ----------

/**
 * Writes a model value straight to JSON text (no intermediate tree: full_meta.json of a large backup has
 * hundreds of thousands of objects). Zero-valued fields are left out unless `always`, as Go's omitempty.
 */
class MetaWriter {
  s = '';
  constructor(readonly indent: string | undefined) {}

  message(desc: MessageDesc, value: unknown, cur: string, path: string): void {
    if (value === null || typeof value !== 'object') throw new TypeError(`${path}: expected an object`);
    const src = value as Record<string, unknown>;
    const ind = this.indent;
    const inner = ind === undefined ? '' : cur + ind;
    let first = true;
    this.s += '{';
    for (const fd of desc.fields) {
      const v = src[fd.key];
      if (!fd.always && isZero(fd.kind, v)) continue;
      if (!first) this.s += ',';
      first = false;
      if (ind !== undefined) this.s += '\n' + inner + '"' + fd.json + '": ';
      else this.s += '"' + fd.json + '":';
      this.field(fd.kind, v, inner, path + '.' + fd.key);
    }
    if (!first && ind !== undefined) this.s += '\n' + cur;
    this.s += '}';
  }

  private field(kind: Kind, v: unknown, cur: string, path: string): void {
    switch (kind) {
      case 'string':
        if (v === undefined) v = '';
        if (typeof v !== 'string') throw new TypeError(`${path}: expected a string`);
        this.s += goQuote(v);
        return;
      case 'bool':
        if (v !== undefined && typeof v !== 'boolean') throw new TypeError(`${path}: expected a boolean`);
        this.s += v === true ? 'true' : 'false';
        return;
      case 'int32':
        if (v === undefined) v = 0;
        if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`${path}: expected an integer number`);
        this.s += String(v);
        return;
      case 'int64':
      case 'uint64':
        this.s += inRange(kind, toBigInt(v, path), path, (m) => new TypeError(m)).toString();
        return;
      case 'map': {
        const m = (v ?? {}) as Record<string, unknown>;
        // Go sorts map keys by their UTF-8 bytes.
        const keys = Object.keys(m).sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
        this.s += goMarshal(new GoObject(keys.map((k) => [k, String(m[k] ?? '')])), this.indent, cur);
        return;
      }
      case 'raw':
        this.s += goMarshal(v as GoValue, this.indent, cur);
        return;
    }
    if ('msg' in kind) {
      this.message(kind.msg(), v, cur, path);
      return;
    }
    if (!Array.isArray(v)) throw new TypeError(`${path}: expected an array`);
    const of = kind.list;
    const ind = this.indent;
    const inner = ind === undefined ? '' : cur + ind;
    this.s += '[';
    for (let i = 0; i < v.length; i++) {
      if (i > 0) this.s += ',';
      if (ind !== undefined) this.s += '\n' + inner;
      const x = v[i];
      const p = `${path}[${i}]`;
      if (of === 'string') {
        if (typeof x !== 'string') throw new TypeError(`${p}: expected a string`);
        this.s += goQuote(x);
      } else if (of === 'int64') {
        this.s += inRange('int64', toBigInt(x, p), p, (m) => new TypeError(m)).toString();
      } else if (x === undefined || x === null) {
        this.s += 'null';
      } else {
        this.message(of.msg(), x, inner, p);
      }
    }
    if (v.length > 0 && ind !== undefined) this.s += '\n' + cur;
    this.s += ']';
  }
}

/** Whether Go's omitempty leaves the value out. */
function isZero(kind: Kind, v: unknown): boolean {
  if (v === undefined || v === null) return true;
  switch (kind) {
    case 'string': return v === '';
    case 'bool': return v === false;
    case 'int32': return v === 0;
    case 'int64':
    case 'uint64': return v === 0n || v === 0;
    case 'map': return typeof v === 'object' && Object.keys(v as object).length === 0;
    case 'raw': return false;
  }
  if ('msg' in kind) return false; // a non-nil pointer is written, even to an empty message
  return Array.isArray(v) && v.length === 0;
}

function toBigInt(v: unknown, path: string): bigint {
  if (v === undefined) return 0n;
  if (typeof v === 'bigint') return v;
  // Numbers are accepted only when exact, so a caller's mistake cannot silently round an id.
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  throw new TypeError(`${path}: expected a bigint`);
}

// ---------- text ----------

/** Parses a meta file's text into the model of `desc`. */
export function parseMeta<T>(desc: MessageDesc, text: string | Buffer, what = desc.name): T {
  const s = typeof text === 'string' ? text : decodeMetaText(text, what);
  checkNesting(s, what);
  return decodeMessage<T>(desc, parseLossless(s, what), what);
}

/** The bytes Go writes: `json.Marshal` (compact) or, with `indent`, `json.MarshalIndent(v, "", indent)`. */
export function stringifyMeta(desc: MessageDesc, value: unknown, indent?: string): string {
  const w = new MetaWriter(indent);
  w.message(desc, value, '', desc.name);
  return w.s;
}
