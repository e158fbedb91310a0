/**
 * Binlog files as Milvus storage v0/v1 writes and reads them (milvus-io/milvus internal/storage data_codec.go
 * InsertCodec/DeleteCodec, binlog_writer.go, payload_writer.go): the framing is binlog/events.ts, the Parquet
 * payload binlog/payload.ts. What goes in, per file:
 *  - insert binlog (insert_log/<c>/<p>/<s>/<field>/<log>): descriptor {collection, partition, segment, field id,
 *    start/end ts = min/max row timestamp, payload data type, extras original_size (+ nullable from 2.5)}, one
 *    insert event with the field's column. Field 0 (row ids) and 1 (timestamps) are Int64.
 *  - delta log (delta_log/<c>/<p>/<s>/<log>, also L0 segments): descriptor with field id −1 and data type
 *    String, one delete event whose column holds one DeleteLog JSON per entry, `{"pk":1,"ts":…,"pkType":5}`
 *    (storage.DeleteLog; pkType 5 Int64 / 21 VarChar) — what Milvus 2.3.5 writes, seen in its bucket.
 * Two things no Milvus writes, marked in the descriptor extras so v0/v1 files stay byte-for-byte Milvus's:
 *  - `sim_storage_version: 2` on files of 2.6 (storage v2) segments, which real Milvus writes as packed
 *    Parquet (milvus-storage) and this simulator does not; import compares it with the request.
 *  - column-group files (`storageV2ColumnGroups`): `MULTI_FIELD: true` (Milvus's own marker for multi-field
 *    log files) and `sim_child_fields` [{fieldId, dataType, elementType}], one Parquet column per child, named by
 *    field id.
 */
import type { Value } from './api';
import { BinlogFormatError, Descriptor, EventType, decodeBinlog, encodeBinlog, eventTypeName } from './binlog/events';
import { DATA_TYPE, ColumnSpec, dataTypeName, readColumns, writeColumns, writePayload, readPayload } from './binlog/payload';

export { BinlogFormatError };

export interface BinlogHeader {
  kind: 'insert' | 'delta';
  collectionId: string;
  partitionId: string;
  segmentId: string;
  /** Field id, or with storage v2 column groups the group id (0 = system + scalar fields, else a vector field's id). */
  fieldId?: number;
  dataType?: string;
  /** Column-group file: the fields it holds, in order. */
  childFields?: number[];
  storageVersion: number;
  rows: number;
  timestampFrom: string;
  timestampTo: string;
  /** Descriptor extras as read (original_size, nullable, …). */
  extras?: Record<string, unknown>;
}

export interface DeleteEntry {
  pk: bigint | string;
  ts: bigint;
}

/** What the writer needs to know about one column beyond its values. */
export interface ColumnInfo {
  fieldId: number;
  dataType: string;
  elementType?: string;
  dim?: number;
  nullable?: boolean;
}

export interface InsertLogInput {
  collectionId: string;
  partitionId: string;
  segmentId: string;
  storageVersion: number;
  timestampFrom: string;
  timestampTo: string;
  /** The server's version: 2.5+ writes the `nullable` extra (binlog_writer.go NewInsertBinlogWriter). */
  version?: { major: number; minor: number };
  /** The directory's id: the field, or the column group. */
  fieldId: number;
  /** One column (a field's binlog) or several (a column group, in `childFields` order). */
  columns: ColumnInfo[];
  childFields?: number[];
}

function writesNullableExtra(v?: { major: number; minor: number }): boolean {
  return !!v && (v.major > 2 || (v.major === 2 && v.minor >= 5));
}

function fixedSize(t: string): number {
  return ({ Bool: 1, Int8: 1, Int16: 2, Int32: 4, Int64: 8, Float: 4, Double: 8, Timestamptz: 8 } as Record<string, number>)[t] ?? 0;
}

/**
 * FieldData.GetMemorySize per row (checked against Milvus 2.3.5's `original_size`: Int64 8/row, strings and JSON
 * len+16 each, Array the elements' sizes, FloatVector dim*4/row plus 4 for the dim once per file).
 */
export function rowMemorySizes(c: ColumnInfo, values: Value[]): number[] {
  const w = fixedSize(c.dataType);
  const elem = (t: string, v: Value) => fixedSize(t) || (typeof v === 'string' ? Buffer.byteLength(v) + 16 : Buffer.isBuffer(v) ? v.length + 16 : 8);
  return values.map((v) => {
    if (w) return w;
    if (v === null) return 0;
    if (c.dataType === 'Array') return (v as Value[]).reduce<number>((s, e) => s + elem(c.elementType ?? 'None', e), 0);
    if (c.dataType === 'FloatVector') return (v as number[]).length * 4;
    if (typeof v === 'string') return Buffer.byteLength(v) + 16;
    if (Buffer.isBuffer(v)) return v.length + (/Vector$/.test(c.dataType) ? 0 : 16);
    return 8;
  });
}

function memorySize(c: ColumnInfo, values: Value[]): number {
  const n = rowMemorySizes(c, values).reduce((s, x) => s + x, 0);
  return /Vector$/.test(c.dataType) && c.dataType !== 'SparseFloatVector' ? n + 4 : n;
}

function minMax(from: string, to: string): { startTs: bigint; endTs: bigint } {
  return { startTs: BigInt(from), endTs: BigInt(to) };
}

function nowTs(): bigint {
  return BigInt(Date.now()) << 18n;
}

function spec(c: ColumnInfo): ColumnSpec {
  return { dataType: c.dataType, elementType: c.elementType, dim: c.dim, nullable: !!c.nullable };
}

export function encodeInsertLog(h: InsertLogInput, values: Value[] | Value[][]): Buffer {
  const multi = !!h.childFields;
  const columns = multi ? (values as Value[][]) : [values as Value[]];
  const extras: Record<string, unknown> = { original_size: String(h.columns.reduce((s, c, i) => s + memorySize(c, columns[i]), 0)) };
  if (!multi && writesNullableExtra(h.version)) extras.nullable = !!h.columns[0].nullable;
  if (h.storageVersion === 2) extras.sim_storage_version = 2;
  if (multi) {
    extras.MULTI_FIELD = true;
    extras.sim_child_fields = h.columns.map((c) => ({ fieldId: c.fieldId, dataType: c.dataType, ...(c.elementType ? { elementType: c.elementType } : {}) }));
  }
  const { startTs, endTs } = minMax(h.timestampFrom, h.timestampTo);
  const payload = multi
    ? writeColumns(h.columns.map((c, i) => ({ name: String(c.fieldId), spec: spec(c), values: columns[i] })))
    : writePayload(spec(h.columns[0]), columns[0]);
  const ts = nowTs();
  const d: Descriptor = {
    timestamp: ts,
    collectionId: BigInt(h.collectionId),
    partitionId: BigInt(h.partitionId),
    segmentId: BigInt(h.segmentId),
    fieldId: BigInt(h.fieldId),
    startTs,
    endTs,
    payloadDataType: multi ? DATA_TYPE.None : DATA_TYPE[h.columns[0].dataType] ?? DATA_TYPE.None,
    extras,
  };
  return encodeBinlog(d, [{ typeCode: EventType.Insert, timestamp: ts, startTs, endTs, payload }]);
}

/** storage.DeleteLog as JSON, int64s exact. */
function deleteLogJson(e: DeleteEntry): string {
  const pk = typeof e.pk === 'bigint' ? e.pk.toString() : JSON.stringify(e.pk);
  return `{"pk":${pk},"ts":${e.ts.toString()},"pkType":${typeof e.pk === 'bigint' ? DATA_TYPE.Int64 : DATA_TYPE.VarChar}}`;
}

export function encodeDeltaLog(h: { collectionId: string; partitionId: string; segmentId: string; storageVersion: number; timestampFrom: string; timestampTo: string }, entries: DeleteEntry[]): Buffer {
  const strings = entries.map(deleteLogJson);
  const extras: Record<string, unknown> = { original_size: String(strings.reduce((s, x) => s + Buffer.byteLength(x), 0)) };
  if (h.storageVersion === 2) extras.sim_storage_version = 2;
  const { startTs, endTs } = minMax(h.timestampFrom, h.timestampTo);
  const ts = nowTs();
  const payload = writePayload({ dataType: 'String', nullable: false }, strings);
  return encodeBinlog(
    { timestamp: ts, collectionId: BigInt(h.collectionId), partitionId: BigInt(h.partitionId), segmentId: BigInt(h.segmentId), fieldId: -1n, startTs, endTs, payloadDataType: DATA_TYPE.String, extras },
    [{ typeCode: EventType.Delete, timestamp: ts, startTs, endTs, payload }],
  );
}

function headerOf(kind: BinlogHeader['kind'], d: Descriptor, rows: number): BinlogHeader {
  const kids = d.extras.sim_child_fields as Array<{ fieldId: number }> | undefined;
  return {
    kind,
    collectionId: d.collectionId.toString(),
    partitionId: d.partitionId.toString(),
    segmentId: d.segmentId.toString(),
    ...(kind === 'insert' ? { fieldId: Number(d.fieldId), dataType: kids ? 'ColumnGroup' : dataTypeName(d.payloadDataType) } : {}),
    ...(kids ? { childFields: kids.map((k) => k.fieldId) } : {}),
    storageVersion: d.extras.sim_storage_version === 2 ? 2 : 0,
    rows,
    timestampFrom: d.startTs.toString(),
    timestampTo: d.endTs.toString(),
    extras: d.extras,
  };
}

export function decodeHeader(buf: Buffer): BinlogHeader {
  const { descriptor, events } = decodeBinlog(buf);
  return headerOf(events[0]?.typeCode === EventType.Delete ? 'delta' : 'insert', descriptor, NaN);
}

function requireEvents(events: Array<{ typeCode: number }>, want: number): void {
  for (const e of events)
    if (e.typeCode !== want) throw new BinlogFormatError(`wrong binlog type, expect:${eventTypeName(want)}, actual:${eventTypeName(e.typeCode)}`);
}

/**
 * An insert binlog's values: one column (`values`), or for a column-group file every child's column (`columns`).
 * Framing errors throw BinlogFormatError (Milvus: "failed to create reader"); payload errors PayloadError
 * ("failed to read data").
 */
export function decodeInsertLog(buf: Buffer): { header: BinlogHeader; values: Value[]; columns?: Map<number, Value[]> } {
  const { descriptor, events } = decodeBinlog(buf);
  requireEvents(events, EventType.Insert);
  const kids = descriptor.extras.sim_child_fields as Array<{ fieldId: number; dataType: string }> | undefined;
  if (kids) {
    const types = new Map(kids.map((k) => [String(k.fieldId), k.dataType]));
    const columns = new Map<number, Value[]>();
    for (const e of events)
      for (const [name, vals] of payloadOrThrow(() => readColumns(e.payload, (n) => types.get(n) ?? 'None'))) {
        const prev = columns.get(Number(name));
        if (prev) prev.push(...vals);
        else columns.set(Number(name), vals);
      }
    const rows = columns.get(kids[0].fieldId)?.length ?? 0;
    return { header: headerOf('insert', descriptor, rows), values: [], columns };
  }
  const t = dataTypeName(descriptor.payloadDataType);
  const values: Value[] = [];
  for (const e of events) values.push(...payloadOrThrow(() => readPayload(t, e.payload)));
  return { header: headerOf('insert', descriptor, values.length), values };
}

export class PayloadError extends Error {}

function payloadOrThrow<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new PayloadError((e as Error).message ?? String(e));
  }
}

/** DeleteCodec.Deserialize: DeleteLog JSON per row, or the oldest "pk,ts" strings. */
export function decodeDeltaLog(buf: Buffer): { header: BinlogHeader; entries: DeleteEntry[] } {
  const { descriptor, events } = decodeBinlog(buf);
  requireEvents(events, EventType.Delete);
  const entries: DeleteEntry[] = [];
  for (const e of events)
    for (const s of payloadOrThrow(() => readPayload('String', e.payload))) entries.push(parseDeleteLog(String(s)));
  return { header: headerOf('delta', descriptor, entries.length), entries };
}

function parseDeleteLog(s: string): DeleteEntry {
  if (!s.startsWith('{')) {
    const [pk, ts] = s.split(',');
    if (ts === undefined) throw new PayloadError(`invalid delete log ${s}`);
    return { pk: /^-?\d+$/.test(pk) ? BigInt(pk) : pk, ts: BigInt(ts) };
  }
  // Keep the int64s exact: quote the bare numbers of "pk" and "ts" before JSON.parse.
  const o = JSON.parse(s.replace(/"(pk|ts)":(-?\d+)/g, '"$1":"$2"')) as { pk: string; ts: string; pkType?: number };
  const pkType = o.pkType ?? DATA_TYPE.Int64;
  return { pk: pkType === DATA_TYPE.Int64 ? BigInt(o.pk) : String(o.pk), ts: BigInt(o.ts) };
}

/** The columns a decoded insert binlog holds: one field, or every child field of a column-group file. */
export function columnsOf(d: { header: BinlogHeader; values: Value[]; columns?: Map<number, Value[]> }): Map<number, Value[]> {
  if (d.columns) return d.columns;
  return new Map([[d.header.fieldId ?? -1, d.values]]);
}
