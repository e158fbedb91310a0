/**
 * Reads: which rows are visible (growing + flushed segments, minus deletes with a newer timestamp in scope),
 * and query / count / search over them. Deletes apply to rows of the same primary key with an older timestamp
 * in the same partition (or any partition for -1, common.AllPartitionsID); a legacy (pre-2.4) delta log applies
 * to its own segment only.
 */
import type { CollectionView, QueryRequest, Row, SearchHit, SearchRequest, Value } from './api';
import { DataPlaneError } from './api';
import type { DeleteEntry } from './binlogCodec';
import type { Engine } from './engine';
import { compileFilter } from './expr/eval';
import { ExprError } from './expr/parse';
import { largerIsCloser, score } from './search';
import { Segment, StoredRow, pkField, pkKey } from './segments';

export interface DeleteRef {
  ts: bigint;
  partitionId: string; // '-1' = every partition
  segmentId?: string; // legacy delta: applies to this segment only
}

/** Segments whose rows are visible to queries (not dropped, not owned by a running import, not L0). */
export function dataSegments(eng: Engine, c: CollectionView, partitionNames?: string[]): Segment[] {
  const parts = partitionNames && partitionNames.length ? new Set(partitionNames.map((n) => eng.partitionIdByName(c, n))) : undefined;
  return [...eng.coll(c.collectionId).segments.values()].filter(
    (s) => s.meta.state !== 'Dropped' && s.meta.level !== 'L0' && !s.meta.importJobId && (!parts || parts.has(s.meta.partitionId)),
  );
}

export function deleteIndex(eng: Engine, c: CollectionView, asOf?: bigint): Map<string, DeleteRef[]> {
  const idx = new Map<string, DeleteRef[]>();
  const add = (e: DeleteEntry, ref: Omit<DeleteRef, 'ts'>) => {
    if (asOf !== undefined && e.ts > asOf) return;
    const k = pkKey(e.pk);
    let l = idx.get(k);
    if (!l) idx.set(k, (l = []));
    l.push({ ts: e.ts, ...ref });
  };
  const col = eng.coll(c.collectionId);
  for (const s of col.segments.values()) {
    if (s.meta.state === 'Dropped' || s.meta.importJobId) continue;
    if (s.meta.level === 'L0') for (const e of s.deletes) add(e, { partitionId: s.meta.partitionId });
    else for (const e of [...s.deletes, ...s.pendingDeletes]) add(e, { partitionId: s.meta.partitionId, segmentId: s.id });
  }
  for (const [key, entries] of col.deleteBuffer) {
    const partId = key.split('|')[1];
    for (const e of entries) add(e, { partitionId: partId });
  }
  return idx;
}

export function isDeleted(idx: Map<string, DeleteRef[]>, seg: Segment, row: StoredRow, pkFieldId: number): boolean {
  const l = idx.get(pkKey(row.values.get(pkFieldId) as bigint | string));
  if (!l) return false;
  return l.some((d) => d.ts > row.ts && (d.segmentId ? d.segmentId === seg.id : d.partitionId === '-1' || d.partitionId === seg.meta.partitionId));
}

/** Visible rows (after deletes and filter), each with its segment. */
export async function visibleRows(eng: Engine, c: CollectionView, filter: string, partitionNames?: string[], asOfTs?: string): Promise<Array<{ seg: Segment; row: StoredRow }>> {
  await eng.ensureLoaded(c);
  let pred;
  try {
    pred = compileFilter(c, filter);
  } catch (e) {
    if (e instanceof ExprError) throw new DataPlaneError(e.message, 1100, 'IllegalArgument');
    throw e;
  }
  const asOf = asOfTs !== undefined && asOfTs !== '' && asOfTs !== '0' ? BigInt(asOfTs) : undefined;
  const idx = eng.deleteIndex(c, asOf);
  const pkf = pkField(c);
  const out: Array<{ seg: Segment; row: StoredRow }> = [];
  const segs = eng.dataSegments(c, partitionNames).sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  const withDefault = c.fields.filter((f) => f.defaultValue !== undefined);
  for (const seg of segs)
    for (const stored of seg.rows) {
      if (asOf !== undefined && stored.ts > asOf) continue;
      if (eng.isDeleted(idx, seg, stored, pkf.fieldId)) continue;
      const row = withAddedFields(stored, withDefault);
      if (!pred(row.values)) continue;
      out.push({ seg, row });
    }
  return out;
}

export async function query(eng: Engine, c: CollectionView, q: QueryRequest): Promise<Row[]> {
  eng.remember(c);
  const pkf = pkField(c);
  const rows = await eng.visibleRows(c, q.filter, q.partitionNames, q.asOfTs);
  // Results are de-duplicated by primary key, the newest row winning (segcore's reduce does the same).
  const pos = new Map<string, number>();
  const picked: StoredRow[] = [];
  for (const { row } of rows) {
    const k = pkKey(row.values.get(pkf.fieldId) as bigint | string);
    const at = pos.get(k);
    if (at === undefined) {
      pos.set(k, picked.length);
      picked.push(row);
    } else if (row.ts >= picked[at].ts) picked[at] = row;
  }
  // With a limit the proxy merges the segments' results by primary key (reduceRetrieveResults, typeutil.SelectMinPK),
  // so rows come in pk order before offset/limit apply — as the real Milvus 2.3.5 answers.
  if (q.limit !== undefined && q.limit >= 0) picked.sort((a, b) => comparePk(a.values.get(pkf.fieldId) as bigint | string, b.values.get(pkf.fieldId) as bigint | string));
  const offset = q.offset ?? 0;
  const sliced = q.limit !== undefined && q.limit >= 0 ? picked.slice(offset, offset + q.limit) : picked.slice(offset);
  return sliced.map((r) => project(r, pkf.fieldId, q.outputFieldIds));
}

export async function count(eng: Engine, c: CollectionView, filter: string, partitionNames?: string[]): Promise<number> {
  eng.remember(c);
  return (await eng.visibleRows(c, filter, partitionNames)).length;
}

export async function search(eng: Engine, c: CollectionView, s: SearchRequest): Promise<SearchHit[][]> {
  eng.remember(c);
  const pkf = pkField(c);
  const field = c.fields.find((f) => f.fieldId === s.annsFieldId);
  if (!field) throw new DataPlaneError(`field ${s.annsFieldId} not exist`, 1100, 'IllegalArgument');
  const rows = await eng.visibleRows(c, s.filter, s.partitionNames);
  const larger = largerIsCloser(s.metricType);
  return s.vectors.map((qv) => {
    const scored = rows
      .filter(({ row }) => row.values.get(field.fieldId) != null)
      .map(({ row }) => ({ row, score: score(s.metricType, field.dataType, qv, row.values.get(field.fieldId)!) }));
    scored.sort((a, b) => (larger ? b.score - a.score : a.score - b.score));
    return scored.slice(0, s.topK).map(({ row, score }) => ({
      pk: row.values.get(pkf.fieldId) as bigint | string,
      score,
      row: project(row, pkf.fieldId, s.outputFieldIds),
    }));
  });
}

export function project(r: StoredRow, pkFieldId: number, outputFieldIds: number[]): Row {
  const out: Row = new Map();
  out.set(pkFieldId, r.values.get(pkFieldId)!);
  for (const id of outputFieldIds) {
    if (id === 0) out.set(0, r.rowId);
    else if (id === 1) out.set(1, r.ts);
    else if (r.values.has(id)) out.set(id, r.values.get(id)!);
    else out.set(id, null);
  }
  return out;
}

/** Int64 keys numerically, VarChar keys bytewise (Go string order). */
function comparePk(a: bigint | string, b: bigint | string): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(String(a)), Buffer.from(String(b)));
}

/**
 * A field added after a row was written (AddCollectionField) reads as its default value in that row, for filters
 * and outputs alike: segcore fills a segment's absent fields when it reopens with the new schema
 * (internal/core/src/segcore ChunkedSegmentSealedImpl::Reopen / SegmentGrowingImpl, fill_empty_field), with the
 * field's default value, else null.
 */
function withAddedFields(row: StoredRow, withDefault: Array<{ fieldId: number; defaultValue?: Value }>): StoredRow {
  const missing = withDefault.filter((f) => !row.values.has(f.fieldId));
  if (missing.length === 0) return row;
  const values = new Map(row.values);
  for (const f of missing) values.set(f.fieldId, f.defaultValue as Value);
  return { ...row, values };
}
