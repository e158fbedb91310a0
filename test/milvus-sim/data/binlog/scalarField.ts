/**
 * One Array row in a binlog: the bytes of a `schemapb.ScalarField` (milvus-proto schema.proto) holding the
 * elements, as payload_writer.go AddOneArrayToPayload writes it (proto.Marshal; the element type is not stored:
 * the reader takes it from the schema). Elements sit in the oneof member of their type, packed where proto3 packs:
 * bool_data 1, int_data 2 (Int8/Int16/Int32), long_data 3, float_data 4, double_data 5, string_data 6,
 * bytes_data 7, json_data 9, geometry_data 10, timestamptz_data 11 — each a message whose field 1 is the
 * repeated data. Seen in Milvus 2.3.5's files: [0x1a,4,0x0a,2,0,1] is long_data [0, 1].
 */
import type { Value } from '../api';

const MEMBER: Record<string, number> = {
  Bool: 1,
  Int8: 2,
  Int16: 2,
  Int32: 2,
  Int64: 3,
  Float: 4,
  Double: 5,
  String: 6,
  VarChar: 6,
  Text: 6,
  JSON: 9,
  Geometry: 10,
  Timestamptz: 11,
};

function varint(v: bigint, out: number[]): void {
  let x = BigInt.asUintN(64, v);
  while (x >= 0x80n) {
    out.push(Number(x & 0x7fn) | 0x80);
    x >>= 7n;
  }
  out.push(Number(x));
}

function lengthDelimited(field: number, body: Buffer): Buffer {
  const head: number[] = [];
  varint(BigInt((field << 3) | 2), head);
  varint(BigInt(body.length), head);
  return Buffer.concat([Buffer.from(head), body]);
}

export function encodeScalarField(elementType: string, elems: Value[]): Buffer {
  const member = MEMBER[elementType];
  if (!member) throw new Error(`unsupported array element type ${elementType}`);
  let inner: Buffer;
  if (member === 6 || member === 9 || member === 10) {
    // repeated string/bytes: one length-delimited field 1 per element
    inner = Buffer.concat(elems.map((e) => lengthDelimited(1, Buffer.isBuffer(e) ? e : Buffer.from(String(e), 'utf8'))));
  } else {
    let packed: Buffer;
    if (member === 4 || member === 5) {
      const w = member === 4 ? 4 : 8;
      packed = Buffer.alloc(elems.length * w);
      elems.forEach((e, i) => (w === 4 ? packed.writeFloatLE(Number(e), i * 4) : packed.writeDoubleLE(Number(e), i * 8)));
    } else {
      const bytes: number[] = [];
      // int32 negatives are sign-extended to 64 bits on the wire, as proto does.
      for (const e of elems) varint(typeof e === 'boolean' ? (e ? 1n : 0n) : BigInt(e as number | bigint), bytes);
      packed = Buffer.from(bytes);
    }
    inner = packed.length ? lengthDelimited(1, packed) : Buffer.alloc(0);
  }
  return lengthDelimited(member, inner);
}

class Cursor {
  o = 0;
  constructor(readonly b: Buffer) {}
  varint(): bigint {
    let shift = 0n;
    let v = 0n;
    for (;;) {
      if (this.o >= this.b.length) throw new Error('truncated ScalarField');
      const byte = this.b[this.o++];
      v |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return v;
      shift += 7n;
    }
  }
  bytes(): Buffer {
    const n = Number(this.varint());
    if (this.o + n > this.b.length) throw new Error('truncated ScalarField');
    const out = this.b.subarray(this.o, this.o + n);
    this.o += n;
    return out;
  }
}

/** Decodes one Array row: long_data/timestamptz_data → bigint, other integers → number, strings, bytes as Buffer. */
export function decodeScalarField(buf: Buffer): Value[] {
  const top = new Cursor(buf);
  const out: Value[] = [];
  const one = (member: number, c: Cursor) => {
    if (member === 4) {
      out.push(c.b.readFloatLE(c.o));
      c.o += 4;
    } else if (member === 5) {
      out.push(c.b.readDoubleLE(c.o));
      c.o += 8;
    } else {
      const v = c.varint();
      if (member === 1) out.push(v !== 0n);
      else if (member === 3 || member === 11) out.push(BigInt.asIntN(64, v));
      else out.push(Number(BigInt.asIntN(32, v)));
    }
  };
  while (top.o < buf.length) {
    const key = Number(top.varint());
    if ((key & 7) !== 2) throw new Error(`unexpected wire type in ScalarField (key ${key})`);
    const member = key >> 3;
    if (!Object.values(MEMBER).includes(member)) throw new Error(`unsupported ScalarField member ${member}`);
    const inner = new Cursor(top.bytes());
    while (inner.o < inner.b.length) {
      const k = Number(inner.varint());
      if (k >> 3 !== 1) throw new Error(`unexpected field ${k >> 3} in ScalarField member ${member}`);
      if (member === 6 || member === 9 || member === 10) {
        const b = inner.bytes();
        out.push(member === 6 ? b.toString('utf8') : Buffer.from(b));
      } else if ((k & 7) === 2) {
        const packed = new Cursor(inner.bytes());
        while (packed.o < packed.b.length) one(member, packed);
      } else one(member, inner); // an unpacked element, which proto parsers accept too
    }
  }
  return out;
}
