/**
 * In-memory model of segments, the way datacoord/datanode hold them: metadata (persisted, like Milvus's etcd
 * SegmentInfo) plus the row data (growing rows in memory; flushed rows cached from their binlogs).
 */
import type { BinlogRef, CollectionView, FieldView, Row, SegmentLevel, SegmentState, SegmentView, Value } from './api';
import type { DeleteEntry } from './binlogCodec';

export interface StoredRow {
  rowId: bigint;
  ts: bigint;
  values: Row; // user field id → value (incl. $meta)
}

/** What we persist per segment (SegmentView + bookkeeping). */
export interface SegmentMeta extends SegmentView {
  createdAt: number;
  droppedAt?: number;
  /** Set while an import job owns the segment: invisible to queries and to segments() until the job commits. */
  importJobId?: string;
  timestampFrom?: string;
  timestampTo?: string;
}

export class Segment {
  rows: StoredRow[] = [];
  /** Deletes this segment carries: an L0 segment's delta entries, or a legacy segment's flushed delta logs. */
  deletes: DeleteEntry[] = [];
  /** Pre-2.4 deletes aimed at this segment that no flush has written into a delta log yet. */
  pendingDeletes: DeleteEntry[] = [];
  /** False for a flushed segment whose binlogs have not been read back since a restart. */
  loaded = true;
  approxBytes = 0;
  /** A flush has taken this segment and will write it (flushDelayMs); later flushes report it but leave it alone. */
  flushScheduled = false;

  constructor(public meta: SegmentMeta) {}

  get id(): string {
    return this.meta.segmentId;
  }

  view(): SegmentView {
    const m = this.meta;
    return {
      segmentId: m.segmentId,
      collectionId: m.collectionId,
      partitionId: m.partitionId,
      vchannel: m.vchannel,
      level: m.level,
      state: m.state,
      numRows: m.numRows,
      storageVersion: m.storageVersion,
      isSorted: m.isSorted,
      insertLogs: m.insertLogs.map((f) => ({ fieldId: f.fieldId, ...(f.childFields ? { childFields: [...f.childFields] } : {}), binlogs: f.binlogs.map((b) => ({ ...b })) })),
      deltaLogs: m.deltaLogs.map((b) => ({ ...b })),
    };
  }
}

export function newSegmentMeta(p: {
  segmentId: string;
  collectionId: string;
  partitionId: string;
  vchannel: string;
  level: SegmentLevel;
  state: SegmentState;
  storageVersion: number;
}): SegmentMeta {
  return { ...p, numRows: 0, isSorted: false, insertLogs: [], deltaLogs: [], createdAt: Date.now() };
}

export function pkField(c: CollectionView): FieldView {
  const f = c.fields.find((x) => x.isPrimaryKey);
  if (!f) throw new Error(`collection ${c.name} has no primary key field`);
  return f;
}

/** Canonical primary key: Int64 → bigint, VarChar → string. */
export function normPk(v: Value | undefined, dataType: string): bigint | string {
  if (dataType === 'Int64') {
    if (typeof v === 'bigint') return v;
    if (typeof v === 'number' || typeof v === 'string') return BigInt(v);
    throw new Error(`invalid Int64 primary key ${String(v)}`);
  }
  if (typeof v === 'string') return v;
  return String(v);
}

export function pkKey(pk: bigint | string): string {
  return typeof pk === 'bigint' ? `i${pk}` : `s${pk}`;
}

export function refsOf(meta: SegmentMeta): BinlogRef[] {
  return [...meta.insertLogs.flatMap((f) => f.binlogs), ...meta.deltaLogs];
}

/** Rough in-memory size of a value, for the segment size limit. */
export function approxSize(v: Value): number {
  if (v === null) return 1;
  if (typeof v === 'string') return v.length + 4;
  if (Buffer.isBuffer(v)) return v.length + 4;
  if (Array.isArray(v)) return (v as Value[]).reduce<number>((s, x) => s + approxSize(x), 4);
  if (typeof v === 'boolean') return 1;
  return 8;
}
