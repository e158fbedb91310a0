/**
 * The Parquet payload of one insert or delete event, as Milvus's payload writer/reader make it
 * (milvus-io/milvus internal/storage/payload_writer.go NewPurePayloadWriter/FinishPayloadWriter,
 * milvusDataTypeToArrowType; payload_reader.go): one column named `val`, one row group, Zstd level 3, Arrow type
 * by data type —
 *   Bool → boolean, Int8/Int16/Int32/Int64 → int8…int64 (Parquet INT32/INT64 with the int logical type),
 *   Float/Double → float32/float64, VarChar/String/Text → utf8, JSON/Array/Geometry/SparseFloatVector → binary
 *   (raw JSON bytes; a marshalled schemapb.ScalarField per Array row; WKB; the sparse row bytes),
 *   FloatVector → fixed_size_binary(dim*4) little-endian float32, BinaryVector → fixed_size_binary(dim/8),
 *   Float16Vector/BFloat16Vector → fixed_size_binary(dim*2), Int8Vector → fixed_size_binary(dim),
 *   Timestamptz → int64.
 * The column is nullable (Parquet OPTIONAL: its definition levels are Milvus's valid bits) only for nullable
 * fields (2.5+, `Nullable: w.nullable`); Milvus 2.3 writes every column REQUIRED.
 *
 * Library: parquet-wasm (arrow-rs compiled to WebAssembly) with apache-arrow for the in-memory columns — the
 * same Arrow → Parquet mapping Milvus's Go pqarrow uses, every type and Zstd included, no native build. Unlike
 * pqarrow's defaults it also stores the `ARROW:schema` footer key; readers (Milvus's too) treat it as a hint.
 */
import { Binary, Bool, Data, DataType, Field, FixedSizeBinary, Float32, Float64, Int16, Int32, Int64, Int8, RecordBatch, Schema, Struct, Table, Type, Utf8, makeData, tableFromIPC, tableToIPC } from 'apache-arrow';
import { Compression, Table as WasmTable, WriterPropertiesBuilder, readParquet, writeParquet } from 'parquet-wasm';
import type { Value } from '../api';
import { decodeScalarField, encodeScalarField } from './scalarField';

/** schemapb.DataType numbers (milvus-proto schema.proto). */
export const DATA_TYPE: Record<string, number> = {
  None: 0,
  Bool: 1,
  Int8: 2,
  Int16: 3,
  Int32: 4,
  Int64: 5,
  Float: 10,
  Double: 11,
  String: 20,
  VarChar: 21,
  Array: 22,
  JSON: 23,
  Geometry: 24,
  Text: 25,
  Timestamptz: 26,
  BinaryVector: 100,
  FloatVector: 101,
  Float16Vector: 102,
  BFloat16Vector: 103,
  SparseFloatVector: 104,
  Int8Vector: 105,
};
const TYPE_NAME = new Map(Object.entries(DATA_TYPE).map(([k, v]) => [v, k]));

export function dataTypeName(n: number): string {
  return TYPE_NAME.get(n) ?? `DataType(${n})`;
}

export interface ColumnSpec {
  dataType: string;
  /** Array element type (the ScalarField member to write, and the shape of the values read). */
  elementType?: string;
  /** Vector dim; when absent the width comes from the first non-null row. */
  dim?: number;
  nullable: boolean;
}

function fixedWidth(t: string, dim: number): number {
  switch (t) {
    case 'FloatVector':
      return dim * 4;
    case 'BinaryVector':
      return dim / 8;
    case 'Float16Vector':
    case 'BFloat16Vector':
      return dim * 2;
    case 'Int8Vector':
      return dim;
    default:
      return 0;
  }
}

/** The row as bytes for binary and fixed-size binary columns. */
function rowBytes(spec: ColumnSpec, v: Value): Buffer {
  switch (spec.dataType) {
    case 'FloatVector': {
      const a = v as number[];
      const b = Buffer.alloc(a.length * 4);
      a.forEach((x, i) => b.writeFloatLE(x, i * 4));
      return b;
    }
    case 'Array':
      return encodeScalarField(spec.elementType ?? 'None', v as Value[]);
    default:
      if (Buffer.isBuffer(v)) return v;
      if (v instanceof Uint8Array) return Buffer.from(v);
      if (typeof v === 'string') return Buffer.from(v, 'utf8');
      throw new Error(`a ${spec.dataType} value must be bytes, got ${typeof v}`);
  }
}

function validity(values: Value[]): { bitmap?: Uint8Array; nulls: number } {
  let nulls = 0;
  const bitmap = new Uint8Array(Math.ceil(values.length / 8));
  values.forEach((v, i) => {
    if (v === null || v === undefined) nulls++;
    else bitmap[i >> 3] |= 1 << (i & 7);
  });
  return nulls ? { bitmap, nulls } : { nulls: 0 };
}

function columnData(spec: ColumnSpec, values: Value[]): { type: DataType; data: Data } {
  const n = values.length;
  const { bitmap, nulls } = validity(values);
  if (nulls && !spec.nullable) throw new Error(`null in the non-nullable ${spec.dataType} column`);
  const base = { length: n, nullCount: nulls, nullBitmap: bitmap };
  const t = spec.dataType;
  const num = <A extends Int8Array | Int16Array | Int32Array | Float32Array | Float64Array>(A: new (n: number) => A) => {
    const a = new A(n);
    values.forEach((v, i) => (a[i] = v === null ? 0 : Number(v)));
    return a;
  };
  switch (t) {
    case 'Bool': {
      const bits = new Uint8Array(Math.ceil(n / 8));
      values.forEach((v, i) => v === true && (bits[i >> 3] |= 1 << (i & 7)));
      return { type: new Bool(), data: makeData({ type: new Bool(), ...base, data: bits }) };
    }
    case 'Int8':
      return { type: new Int8(), data: makeData({ type: new Int8(), ...base, data: num(Int8Array) }) };
    case 'Int16':
      return { type: new Int16(), data: makeData({ type: new Int16(), ...base, data: num(Int16Array) }) };
    case 'Int32':
      return { type: new Int32(), data: makeData({ type: new Int32(), ...base, data: num(Int32Array) }) };
    case 'Int64':
    case 'Timestamptz': {
      const a = new BigInt64Array(n);
      values.forEach((v, i) => (a[i] = v === null ? 0n : BigInt(v as bigint | number | string)));
      return { type: new Int64(), data: makeData({ type: new Int64(), ...base, data: a }) };
    }
    case 'Float':
      return { type: new Float32(), data: makeData({ type: new Float32(), ...base, data: num(Float32Array) }) };
    case 'Double':
      return { type: new Float64(), data: makeData({ type: new Float64(), ...base, data: num(Float64Array) }) };
  }
  const bytes = values.map((v) => (v === null ? Buffer.alloc(0) : rowBytes(spec, t === 'VarChar' || t === 'String' || t === 'Text' ? String(v) : v)));
  const width = fixedWidth(t, spec.dim ?? 0) || (fixedWidth(t, 1) ? (bytes.find((b, i) => values[i] !== null)?.length ?? 0) : 0);
  if (fixedWidth(t, 1)) {
    const type = new FixedSizeBinary(width);
    const flat = Buffer.alloc(width * n);
    bytes.forEach((b, i) => {
      if (values[i] === null) return;
      if (b.length !== width) throw new Error(`${t} row ${i} has ${b.length} bytes, the column ${width}`);
      b.copy(flat, i * width);
    });
    return { type, data: makeData({ type, ...base, data: flat }) };
  }
  if (t === 'VarChar' || t === 'String' || t === 'Text' || t === 'JSON' || t === 'Array' || t === 'Geometry' || t === 'SparseFloatVector') {
    const offsets = new Int32Array(n + 1);
    bytes.forEach((b, i) => (offsets[i + 1] = offsets[i] + b.length));
    const data = Buffer.concat(bytes);
    const type = t === 'VarChar' || t === 'String' || t === 'Text' ? new Utf8() : new Binary();
    return { type, data: makeData({ type: type as Binary, ...base, valueOffsets: offsets, data }) };
  }
  throw new Error(`unsupported data type ${t}`);
}

/** FinishPayloadWriter: the column as a Parquet file (column `val`). */
export function writePayload(spec: ColumnSpec, values: Value[]): Buffer {
  return writeColumns([{ name: 'val', spec, values }]);
}

/** Several columns in one Parquet file (the sim's multi-field files; see binlogCodec.ts). */
export function writeColumns(cols: Array<{ name: string; spec: ColumnSpec; values: Value[] }>): Buffer {
  const built = cols.map((c) => columnData(c.spec, c.values));
  const schema = new Schema(cols.map((c, i) => new Field(c.name, built[i].type, c.spec.nullable)));
  const length = cols[0]?.values.length ?? 0;
  const batch = new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length, nullCount: 0, children: built.map((b) => b.data) }));
  const wasm = WasmTable.fromIPCStream(tableToIPC(new Table(schema, [batch]), 'stream'));
  const props = new WriterPropertiesBuilder().setCompression(Compression.ZSTD).setMaxRowGroupSize(1 << 30).build();
  return Buffer.from(writeParquet(wasm, props));
}

/** The values of a payload's single column by the descriptor's data type. */
export function readPayload(dataType: string, parquet: Buffer): Value[] {
  const cols = readColumns(parquet, () => dataType);
  if (cols.size !== 1) throw new Error(`a payload has one column, this one ${cols.size}`);
  return [...cols.values()][0];
}

/**
 * Every column of a Parquet file, typed by `typeOf(columnName)`: Int64 → bigint, FloatVector → number[],
 * Array → its elements, binary → Buffer. A column whose Arrow type does not fit the data type fails.
 */
export function readColumns(parquet: Buffer, typeOf: (name: string) => string): Map<string, Value[]> {
  const table = tableFromIPC(readParquet(parquet).intoIPCStream());
  const out = new Map<string, Value[]>();
  table.schema.fields.forEach((f, k) => out.set(f.name, columnValues(typeOf(f.name), table.getChildAt(k)!)));
  return out;
}

function columnValues(t: string, col: { length: number; type: DataType; get(i: number): unknown }): Value[] {
  const out: Value[] = new Array(col.length);
  const want = expectedArrowType(t);
  if (want === undefined) throw new Error(`unsupported data type ${t}`);
  if (col.type.typeId !== want) throw new Error(`payload column is ${col.type}, not what a ${t} field holds`);
  for (let i = 0; i < col.length; i++) {
    const v = col.get(i);
    if (v === null || v === undefined) {
      out[i] = null;
      continue;
    }
    switch (t) {
      case 'Int64':
      case 'Timestamptz':
        out[i] = BigInt(v as bigint);
        break;
      case 'FloatVector': {
        const b = Buffer.from(v as Uint8Array);
        const a: number[] = new Array(b.length / 4);
        for (let j = 0; j < a.length; j++) a[j] = b.readFloatLE(j * 4);
        out[i] = a;
        break;
      }
      case 'Array':
        out[i] = decodeScalarField(Buffer.from(v as Uint8Array));
        break;
      default:
        out[i] = v instanceof Uint8Array ? Buffer.from(v) : (v as Value);
    }
  }
  return out;
}

function expectedArrowType(t: string): Type | undefined {
  switch (t) {
    case 'Bool':
      return Type.Bool;
    case 'Int8':
    case 'Int16':
    case 'Int32':
    case 'Int64':
    case 'Timestamptz':
      return Type.Int;
    case 'Float':
    case 'Double':
      return Type.Float;
    case 'VarChar':
    case 'String':
    case 'Text':
      return Type.Utf8;
    case 'JSON':
    case 'Array':
    case 'Geometry':
    case 'SparseFloatVector':
      return Type.Binary;
    case 'FloatVector':
    case 'BinaryVector':
    case 'Float16Vector':
    case 'BFloat16Vector':
    case 'Int8Vector':
      return Type.FixedSizeBinary;
    default:
      return undefined;
  }
}
