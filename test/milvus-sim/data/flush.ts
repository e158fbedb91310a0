/**
 * Flush: seal growing segments and write them as Milvus lays binlogs out — one file per field (0 row ids,
 * 1 timestamps, every user field, $meta) under insert_log/<coll>/<part>/<seg>/<field>/<log>; L0 segments from the
 * 2.4+ delete buffer (delta_log/<coll>/<part or -1>/<seg>/<log>); pre-2.4 delta logs inside their segments.
 * Also reads a flushed segment back from its binlogs (after a restart).
 */
import type { CollectionView, FlushResult, Row, Value } from './api';
import { ColumnInfo, DeleteEntry, columnsOf, rowMemorySizes, decodeDeltaLog, decodeInsertLog, encodeDeltaLog, encodeInsertLog } from './binlogCodec';
import type { Engine } from './engine';
import { deltaLogKey, insertLogKey } from './paths';
import { Segment, SegmentMeta, StoredRow } from './segments';

export async function flushLocked(eng: Engine, c: CollectionView): Promise<FlushResult> {
  const col = eng.coll(c.collectionId);
  const before = new Set<string>();
  for (const s of col.segments.values())
    if (s.meta.state === 'Flushed' && s.meta.level !== 'L0' && !s.meta.importJobId) before.add(s.id);
  const sealed: Segment[] = [];
  for (const s of col.segments.values()) {
    if (s.meta.importJobId) continue;
    if (s.meta.state === 'Growing' && s.rows.length > 0) {
      eng.sealGrowing(col, s);
      sealed.push(s);
    } else if ((s.meta.state === 'Sealed' || s.meta.state === 'Flushing') && s.meta.level !== 'L0') sealed.push(s);
  }
  const flushTs = eng.alloc.alloc();
  const sealTimeSec = Math.floor(Date.now() / 1000);
  // L0 segments from the delete buffer (not reported in coll_segIDs, as datacoord leaves L0 out).
  const l0: Segment[] = [];
  for (const [key, entries] of col.deleteBuffer) {
    if (entries.length === 0) continue;
    const [vch, partId] = key.split('|');
    const seg = eng.newSegment(c, partId, vch, 'L0', 'Flushing');
    seg.deletes = entries;
    col.segments.set(seg.id, seg);
    l0.push(seg);
  }
  col.deleteBuffer.clear();
  // Segments another flush already scheduled are reported again but written once.
  const toWrite = [...sealed.filter((s) => s.meta.state !== 'Flushed' && !s.flushScheduled), ...l0];
  for (const s of toWrite) {
    s.meta.state = 'Flushing';
    s.flushScheduled = true;
  }
  const write = async () => {
    await eng.flushSegments(c, toWrite);
    // Pre-2.4 deletes on already-flushed segments: one new delta log per segment.
    for (const s of col.segments.values()) if (s.pendingDeletes.length && s.meta.state === 'Flushed') await eng.writeLegacyDelta(c, s);
  };
  const delay = eng.o.flushDelayMs ?? 0;
  if (delay > 0) {
    // Milvus's Flush only seals and returns; the datanode writes later and GetFlushState turns true then.
    eng.track(new Promise((r) => setTimeout(r, delay)).then(() => eng.withLock(c.collectionId, write))).catch(() => undefined);
  } else await write();
  const segmentIds = sealed.map((s) => s.id);
  const flushed = [...before].filter((id) => !segmentIds.includes(id));
  eng.save();
  const checkpoints: FlushResult['channelCheckpoints'] = {};
  for (const v of c.vchannels) {
    const msgId = Buffer.alloc(8);
    msgId.writeBigUInt64LE(flushTs);
    checkpoints[v] = { timestamp: flushTs.toString(), msgId };
  }
  return { segmentIds, flushedSegmentIds: flushed, flushTs: flushTs.toString(), sealTimeSec, channelCheckpoints: checkpoints };
}

/** Writes one binlog per field (0, 1, every user field incl. $meta) per segment, then marks it Flushed. */
export async function flushSegments(eng: Engine, c: CollectionView, segs: Segment[]): Promise<void> {
  for (const seg of segs) {
    if (seg.meta.state === 'Flushed' || seg.meta.state === 'Dropped') continue;
    seg.meta.state = 'Flushing';
    if (seg.meta.level === 'L0') {
      const ref = await eng.writeDelta(c, seg, seg.deletes);
      seg.meta.deltaLogs = [ref];
      seg.meta.numRows = seg.deletes.length; // L0 num_rows counts delete entries
      seg.meta.timestampFrom = ref.timestampFrom;
      seg.meta.timestampTo = ref.timestampTo;
    } else {
      await eng.writeInsertLogs(c, seg);
      if (seg.pendingDeletes.length) await eng.writeLegacyDelta(c, seg);
    }
    seg.meta.state = 'Flushed';
    eng.save();
  }
}

export async function writeInsertLogs(eng: Engine, c: CollectionView, seg: Segment): Promise<void> {
  const rows = seg.rows;
  let tsFrom = rows.length ? rows[0].ts : 0n;
  let tsTo = tsFrom;
  for (const r of rows) {
    if (r.ts < tsFrom) tsFrom = r.ts;
    if (r.ts > tsTo) tsTo = r.ts;
  }
  const columns: Array<ColumnInfo & { values: Value[] }> = [
    { fieldId: 0, dataType: 'Int64', values: rows.map((r) => r.rowId) },
    { fieldId: 1, dataType: 'Int64', values: rows.map((r) => r.ts) },
    ...c.fields.map((f) => ({
      fieldId: f.fieldId,
      dataType: f.dataType,
      elementType: f.elementType,
      dim: f.dim,
      nullable: f.nullable,
      values: rows.map((r) => (r.values.has(f.fieldId) ? r.values.get(f.fieldId)! : f.defaultValue !== undefined ? f.defaultValue : null)),
    })),
  ];
  // One file per field — or, for storage v2 segments with `storageV2ColumnGroups`, one per column group as
  // Milvus 2.6 writes them: group 0 holds row id, timestamp and every non-vector field, each vector field is its
  // own group named by its field id (storagecommon.DefaultShortColumnGroupID / SplitColumns).
  type File = { fieldId: number; columns: Array<ColumnInfo & { values: Value[] }>; childFields?: number[] };
  let files: File[] = columns.map((col) => ({ fieldId: col.fieldId, columns: [col] }));
  if (seg.meta.storageVersion === 2 && eng.o.storageV2ColumnGroups) {
    const isVec = (dt: string) => /Vector$/.test(dt);
    const short = columns.filter((col) => !isVec(col.dataType));
    files = [
      { fieldId: 0, childFields: short.map((col) => col.fieldId), columns: short },
      ...columns.filter((col) => isVec(col.dataType)).map((col) => ({ fieldId: col.fieldId, columns: [col] })),
    ];
  }
  // Rows go out in sync batches of at most binlogMaxBytes (estimated as Milvus's FieldData.GetMemorySize of all
  // columns): each batch is one more binlog per file column, so every field dir gets the same number of files.
  const batches = syncBatches(columns, eng.o.binlogMaxBytes ?? 16 * 1024 * 1024);
  const insertLogs: SegmentMeta['insertLogs'] = files.map((file) => ({ fieldId: file.fieldId, ...(file.childFields ? { childFields: file.childFields } : {}), binlogs: [] }));
  for (const [from, to] of batches) {
    const part = rows.slice(from, to);
    let bFrom = part[0]?.ts ?? 0n;
    let bTo = bFrom;
    for (const r of part) {
      if (r.ts < bFrom) bFrom = r.ts;
      if (r.ts > bTo) bTo = r.ts;
    }
    const first = eng.alloc.allocRange(files.length);
    await Promise.all(
      files.map(async (file, i) => {
        const logId = (first + BigInt(i)).toString();
        const key = insertLogKey(eng.rootPath, seg.meta.collectionId, seg.meta.partitionId, seg.id, file.fieldId, logId);
        const body = encodeInsertLog(
          {
            collectionId: seg.meta.collectionId,
            partitionId: seg.meta.partitionId,
            segmentId: seg.id,
            fieldId: file.fieldId,
            columns: file.columns,
            ...(file.childFields ? { childFields: file.childFields } : {}),
            storageVersion: seg.meta.storageVersion,
            version: c.version,
            timestampFrom: bFrom.toString(),
            timestampTo: bTo.toString(),
          },
          file.childFields ? file.columns.map((col) => col.values.slice(from, to)) : file.columns[0].values.slice(from, to),
        );
        await eng.store.put(key, body);
        insertLogs[i].binlogs.push({ logId, key, size: body.length, entries: part.length, timestampFrom: bFrom.toString(), timestampTo: bTo.toString() });
      }),
    );
  }
  seg.meta.insertLogs = insertLogs;
  seg.meta.numRows = rows.length;
  seg.meta.timestampFrom = tsFrom.toString();
  seg.meta.timestampTo = tsTo.toString();
}

export async function writeDelta(eng: Engine, c: CollectionView, seg: Segment, entries: DeleteEntry[]) {
  let from = entries.length ? entries[0].ts : 0n;
  let to = from;
  for (const e of entries) {
    if (e.ts < from) from = e.ts;
    if (e.ts > to) to = e.ts;
  }
  const logId = eng.alloc.alloc().toString();
  const key = deltaLogKey(eng.rootPath, seg.meta.collectionId, seg.meta.partitionId, seg.id, logId);
  const body = encodeDeltaLog(
    {
      collectionId: seg.meta.collectionId,
      partitionId: seg.meta.partitionId,
      segmentId: seg.id,
      storageVersion: seg.meta.storageVersion,
      timestampFrom: from.toString(),
      timestampTo: to.toString(),
    },
    entries,
  );
  await eng.store.put(key, body);
  void c;
  return { logId, key, size: body.length, entries: entries.length, timestampFrom: from.toString(), timestampTo: to.toString() };
}

export async function writeLegacyDelta(eng: Engine, c: CollectionView, seg: Segment): Promise<void> {
  const entries = seg.pendingDeletes;
  seg.pendingDeletes = [];
  const ref = await eng.writeDelta(c, seg, entries);
  seg.meta.deltaLogs.push(ref);
  seg.deletes.push(...entries);
  eng.save();
}

export async function loadSegment(eng: Engine, s: Segment): Promise<void> {
  if (s.loaded) return;
  const deletes: DeleteEntry[] = [];
  for (const ref of s.meta.deltaLogs) deletes.push(...decodeDeltaLog(await eng.store.get(ref.key)).entries);
  const cols = new Map<number, Value[]>();
  for (const f of s.meta.insertLogs)
    for (const ref of f.binlogs)
      for (const [fid, vals] of columnsOf(decodeInsertLog(await eng.store.get(ref.key)))) {
        const prev = cols.get(fid);
        if (prev) prev.push(...vals);
        else cols.set(fid, [...vals]);
      }
  const rows: StoredRow[] = [];
  const rowIds = cols.get(0) ?? [];
  const tss = cols.get(1) ?? [];
  for (let i = 0; i < rowIds.length; i++) {
    const values: Row = new Map();
    for (const [fid, vals] of cols) if (fid >= 100) values.set(fid, vals[i]);
    rows.push({ rowId: rowIds[i] as bigint, ts: tss[i] as bigint, values });
  }
  if (!s.loaded) {
    s.rows = rows;
    s.deletes = deletes;
    s.loaded = true;
  }
}

/** [from, to) row ranges whose estimated memory size stays within `maxBytes` (at least one row each). */
export function syncBatches(columns: Array<ColumnInfo & { values: Value[] }>, maxBytes: number): Array<[number, number]> {
  const n = columns[0]?.values.length ?? 0;
  const perRow = new Array<number>(n).fill(0);
  for (const col of columns) rowMemorySizes(col, col.values).forEach((b, i) => (perRow[i] += b));
  const out: Array<[number, number]> = [];
  let start = 0;
  let acc = 0;
  for (let i = 0; i < n; i++) {
    if (i > start && acc + perRow[i] > maxBytes) {
      out.push([start, i]);
      start = i;
      acc = 0;
    }
    acc += perRow[i];
  }
  if (n > 0) out.push([start, n]);
  return out;
}
