/**
 * Content of our binlog files. Real Milvus writes its own binlog format (a descriptor event + payload events,
 * or parquet with storage v2); nobody outside Milvus reads those bytes (the backup tool copies them blindly,
 * spec §3.9), so the simulator uses a compact self-describing format of its own — keys, ids and file
 * boundaries stay Milvus's.
 *
 * Layout: `MILVUS-SIM-BINLOG 1\n` + one JSON header line + one tagged-JSON line of values.
 *  - insert binlog: values = one Value per row, in row order (field 0 row ids and field 1 timestamps are bigints)
 *  - delta log: values = [[pk, ts], …] (ts bigint; pk bigint or string)
 */
import type { Value } from './api';
import { parseTagged, stringifyTagged } from './tagged';

const MAGIC = 'MILVUS-SIM-BINLOG 1\n';

export interface BinlogHeader {
  kind: 'insert' | 'delta';
  collectionId: string;
  partitionId: string;
  segmentId: string;
  /** Field id, or with storage v2 column groups the group id (0 = system + scalar fields, else a vector field's id). */
  fieldId?: number;
  dataType?: string;
  /** Column-group file: the fields it holds, in order; each value is then one row's Value[] of those fields. */
  childFields?: number[];
  storageVersion: number;
  rows: number;
  timestampFrom: string;
  timestampTo: string;
}

export interface DeleteEntry {
  pk: bigint | string;
  ts: bigint;
}

export function encodeInsertLog(h: Omit<BinlogHeader, 'kind' | 'rows'>, values: Value[]): Buffer {
  const header: BinlogHeader = { kind: 'insert', ...h, rows: values.length };
  return Buffer.from(MAGIC + JSON.stringify(header) + '\n' + stringifyTagged(values) + '\n', 'utf8');
}

export function encodeDeltaLog(h: Omit<BinlogHeader, 'kind' | 'rows' | 'fieldId' | 'dataType'>, entries: DeleteEntry[]): Buffer {
  const header: BinlogHeader = { kind: 'delta', ...h, rows: entries.length };
  return Buffer.from(MAGIC + JSON.stringify(header) + '\n' + stringifyTagged(entries.map((e) => [e.pk, e.ts])) + '\n', 'utf8');
}

export class BinlogFormatError extends Error {}

function split(buf: Buffer): { header: BinlogHeader; body: string } {
  const s = buf.toString('utf8');
  if (!s.startsWith(MAGIC)) throw new BinlogFormatError('not a binlog written by the Milvus simulator');
  const rest = s.slice(MAGIC.length);
  const nl = rest.indexOf('\n');
  if (nl < 0) throw new BinlogFormatError('truncated binlog header');
  const header = JSON.parse(rest.slice(0, nl)) as BinlogHeader;
  return { header, body: rest.slice(nl + 1) };
}

export function decodeHeader(buf: Buffer): BinlogHeader {
  return split(buf).header;
}

export function decodeInsertLog(buf: Buffer): { header: BinlogHeader; values: Value[] } {
  const { header, body } = split(buf);
  if (header.kind !== 'insert') throw new BinlogFormatError(`wrong binlog type, expect:InsertEventType, actual:${header.kind}`);
  const values = parseTagged<Value[]>(body);
  if (!Array.isArray(values) || values.length !== header.rows) throw new BinlogFormatError('binlog row count does not match its header');
  return { header, values };
}

export function decodeDeltaLog(buf: Buffer): { header: BinlogHeader; entries: DeleteEntry[] } {
  const { header, body } = split(buf);
  if (header.kind !== 'delta') throw new BinlogFormatError(`wrong binlog type, expect:DeleteEventType, actual:${header.kind}`);
  const raw = parseTagged<Array<[bigint | string, bigint]>>(body);
  return { header, entries: raw.map(([pk, ts]) => ({ pk, ts })) };
}

/** The columns a decoded insert binlog holds: one field, or every child field of a column-group file. */
export function columnsOf(d: { header: BinlogHeader; values: Value[] }): Map<number, Value[]> {
  const out = new Map<number, Value[]>();
  const kids = d.header.childFields;
  if (!kids) {
    out.set(d.header.fieldId ?? -1, d.values);
    return out;
  }
  kids.forEach((fid, j) => out.set(fid, d.values.map((row) => (row as Value[])[j])));
  return out;
}
