/**
 * Wire `schema.FieldData` columns ↔ the data plane's rows (data/api.ts `Row`: field id → Value).
 * Column layouts follow schema.proto: scalars in `scalars.<x>_data.data`, vectors flattened in
 * `vectors.float_vector.data` / byte strings of dim-derived width, sparse rows in `sparse_float_vector.contents`,
 * nulls through `valid_data` (full-length columns; compact columns are accepted on input too).
 */
import type { FieldView, Row, Value } from './data/api.js';
import { errors } from './milvusError.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SCALAR_KEY: Record<string, string> = {
  Bool: 'bool_data',
  Int8: 'int_data',
  Int16: 'int_data',
  Int32: 'int_data',
  Int64: 'long_data',
  Float: 'float_data',
  Double: 'double_data',
  String: 'string_data',
  VarChar: 'string_data',
  Text: 'string_data',
  Array: 'array_data',
  JSON: 'json_data',
  Geometry: 'geometry_data',
  Timestamptz: 'timestamptz_data',
};

const VECTOR_KEY: Record<string, string> = {
  FloatVector: 'float_vector',
  BinaryVector: 'binary_vector',
  Float16Vector: 'float16_vector',
  BFloat16Vector: 'bfloat16_vector',
  SparseFloatVector: 'sparse_float_vector',
  Int8Vector: 'int8_vector',
};

export function isVectorType(t: string): boolean {
  return t in VECTOR_KEY;
}

/** Bytes per row of a byte-packed vector type. */
function vectorRowBytes(t: string, dim: number): number {
  switch (t) {
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

function scalarValue(t: string, v: unknown): Value {
  switch (t) {
    case 'Int64':
    case 'Timestamptz':
      return BigInt(v as string);
    case 'JSON':
    case 'Geometry':
      return Buffer.from(v as Uint8Array);
    default:
      return v as Value;
  }
}

/** Values of one ScalarField (used for Array elements as well). */
function scalarColumn(sf: Obj | undefined, t: string, elementType?: string): Value[] {
  if (!sf) return [];
  const key = SCALAR_KEY[t];
  const arr = sf[key] as Obj | undefined;
  if (!arr) return [];
  if (t === 'Array') {
    return (arr.data as Obj[]).map((inner) => scalarColumn(inner, elementType ?? 'None'));
  }
  return (arr.data as unknown[]).map((v) => scalarValue(t, v));
}

function vectorColumn(vf: Obj | undefined, t: string, fallbackDim?: number): Value[] {
  if (!vf) return [];
  const dim = Number(vf.dim) || fallbackDim || 0;
  if (t === 'FloatVector') {
    const flat = (vf.float_vector?.data as number[]) ?? [];
    const out: Value[] = [];
    for (let i = 0; i + dim <= flat.length && dim > 0; i += dim) out.push(flat.slice(i, i + dim));
    return out;
  }
  if (t === 'SparseFloatVector') {
    return ((vf.sparse_float_vector?.contents as Uint8Array[]) ?? []).map((b) => Buffer.from(b));
  }
  const buf = Buffer.from((vf[VECTOR_KEY[t]] as Uint8Array) ?? Buffer.alloc(0));
  const w = vectorRowBytes(t, dim);
  const out: Value[] = [];
  for (let i = 0; w > 0 && i + w <= buf.length; i += w) out.push(Buffer.from(buf.subarray(i, i + w)));
  return out;
}

/**
 * Insert/Upsert columns → rows. Every non-auto, non-function-output field must be present (Milvus:
 * "Insert missed an field `x` to collection without set nullable==true or set default_value").
 */
export function rowsFromFieldData(fields: FieldView[], columns: Obj[], numRows: number, isUpsert = false): Row[] {
  const byName = new Map(columns.map((c) => [c.field_name as string, c]));
  const rows: Row[] = Array.from({ length: numRows }, () => new Map<number, Value>());
  for (const c of columns) {
    const name = c.field_name as string;
    if (!fields.some((f) => f.name === name) && !c.is_dynamic) throw errors.paramRaw(`the field ${name} does not exist in the collection schema`);
  }
  for (const f of fields) {
    const col = f.isDynamic ? (byName.get(f.name) ?? columns.find((c) => c.is_dynamic)) : byName.get(f.name);
    if (!col) {
      if (f.isFunctionOutput) continue;
      if (f.isPrimaryKey && f.autoID && !isUpsert) continue;
      if (f.isDynamic) {
        for (const r of rows) r.set(f.fieldId, Buffer.from('{}'));
        continue;
      }
      if (f.nullable || f.defaultValue !== undefined) {
        for (const r of rows) r.set(f.fieldId, f.defaultValue ?? null);
        continue;
      }
      throw errors.paramRaw(`Insert missed an field \`${f.name}\` to collection without set nullable==true or set default_value`);
    }
    if (f.isPrimaryKey && f.autoID && !isUpsert) {
      throw errors.paramRaw(`the primary key field ${f.name} is auto id, no need to provide primary key`);
    }
    const values = isVectorType(f.dataType) ? vectorColumn(col.vectors, f.dataType, f.dim) : scalarColumn(col.scalars, f.dataType, f.elementType);
    const valid = (col.valid_data as boolean[] | undefined) ?? [];
    const compact = valid.length === numRows && values.length !== numRows;
    let k = 0;
    for (let i = 0; i < numRows; i++) {
      const isNull = valid.length === numRows && !valid[i];
      let v: Value | undefined;
      if (isNull) {
        v = f.defaultValue !== undefined ? f.defaultValue : null;
        if (!compact) k++;
      } else {
        v = values[compact ? k++ : i];
        if (!compact) k++;
      }
      if (v === undefined) throw errors.paramRaw(`the num_rows (${numRows}) of field (${f.name}) is not equal to passed num_rows`);
      rows[i].set(f.fieldId, v);
    }
  }
  return rows;
}

function zeroOf(t: string): unknown {
  switch (t) {
    case 'Bool':
      return false;
    case 'Int64':
    case 'Timestamptz':
      return '0';
    case 'VarChar':
    case 'String':
    case 'Text':
      return '';
    case 'JSON':
    case 'Geometry':
      return Buffer.alloc(0);
    case 'Array':
      return {};
    default:
      return 0;
  }
}

function wireScalar(t: string, v: Value, elementType?: string): unknown {
  switch (t) {
    case 'Int64':
    case 'Timestamptz':
      return (v as bigint | number | string).toString();
    case 'Array':
      return scalarField(elementType ?? 'None', v as Value[]);
    default:
      return v;
  }
}

function scalarField(t: string, values: Value[], elementType?: string): Obj {
  const key = SCALAR_KEY[t];
  const data = values.map((v) => (v === null ? zeroOf(t) : wireScalar(t, v, elementType)));
  const out: Obj = { [key]: { data } };
  if (t === 'Array') out[key].element_type = elementType;
  return out;
}

/** One output column (QueryResults / SearchResultData fields_data). */
export function fieldDataColumn(f: FieldView, values: Value[]): Obj {
  const col: Obj = { type: f.dataType, field_name: f.name, field_id: String(f.fieldId), is_dynamic: f.isDynamic, valid_data: [] };
  if (f.nullable) col.valid_data = values.map((v) => v !== null);
  if (isVectorType(f.dataType)) {
    const dim = f.dim ?? 0;
    if (f.dataType === 'FloatVector') col.vectors = { dim: String(dim), float_vector: { data: values.flatMap((v) => (v as number[]) ?? []) } };
    else if (f.dataType === 'SparseFloatVector') {
      col.vectors = { dim: String(dim), sparse_float_vector: { contents: values, dim: String(dim) } };
    } else col.vectors = { dim: String(dim), [VECTOR_KEY[f.dataType]]: Buffer.concat(values.map((v) => v as Buffer)) };
  } else {
    col.scalars = scalarField(f.dataType, values, f.elementType);
  }
  return col;
}

/** Output fields for rows: each requested field in order; `$meta` trimmed to the requested dynamic keys. */
export function columnsFromRows(outFields: FieldView[], rows: Row[], dynamicKeys: string[] | 'all'): Obj[] {
  return outFields.map((f) => {
    let values = rows.map((r) => (r.has(f.fieldId) ? (r.get(f.fieldId) as Value) : null));
    if (f.isDynamic && dynamicKeys !== 'all') {
      values = values.map((v) => {
        const obj = v ? (JSON.parse((v as Buffer).toString() || '{}') as Record<string, unknown>) : {};
        const keep: Record<string, unknown> = {};
        for (const k of dynamicKeys) if (k in obj) keep[k] = obj[k];
        return Buffer.from(JSON.stringify(keep));
      });
    }
    return fieldDataColumn(f, values);
  });
}

/** schema.IDs for a list of primary keys. */
export function idsOf(pkType: string, ids: Array<string | number | bigint>): Obj {
  if (pkType === 'Int64') return { int_id: { data: ids.map((i) => i.toString()) } };
  return { str_id: { data: ids.map((i) => String(i)) } };
}
