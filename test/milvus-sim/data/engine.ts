/**
 * The data plane of one simulated Milvus instance: growing segments per (partition, vchannel), flush into one
 * binlog per field, deletes (pre-2.4 delta logs / 2.4+ L0 segments), query/search over visible rows,
 * compaction and GC of dropped segments, and backup import (importer.ts). State persists in `<dataDir>/data-plane-state.json`.
 */
import { join } from 'node:path';
import { CollectionView, DataPlane, DataPlaneError, FlushResult, ImportJobView, QueryRequest, Row, SearchHit, SearchRequest, SegmentLevel, SegmentState, SegmentView } from './api';
import { AllocatorState, TsoAllocator } from './allocator';
import type { DeleteEntry } from './binlogCodec';
import * as compaction from './compaction';
import { simplePkList } from './expr/eval';
import * as flushM from './flush';
import * as gcPass from './gc';
import { GcControl, GcControlState } from './gcControl';
import * as growing from './growingStore';
import { hashKey } from './hash';
import type { ImportJobRecord } from './importer';
import { Importer } from './importer';
import { ObjectStore, S3Options } from './objectStore';
import { insertLogKey } from './paths';
import { JsonFile } from './persist';
import * as reads from './reads';
import { Segment, SegmentMeta, StoredRow, approxSize, newSegmentMeta, normPk, pkField, pkKey } from './segments';
import { Version, flushedLevel, hasL0, storageVersionOf } from './version';

export interface DataPlaneOptions {
  s3: S3Options;
  bucket: string;
  rootPath: string;
  dataDir: string;
  version: Version;
  /** A growing segment seals at this many rows (Milvus seals by size; tests lower this). Default 1,000,000. */
  maxRowsPerSegment?: number;
  /** …or at this estimated size in bytes. Default 512 MiB (Milvus dataCoord.segment.maxSize default 1024 MiB, sealProportion 0.12…). */
  maxSegmentBytes?: number;
  /**
   * A segment's rows are written as several binlog files per field, a new file each time this much data is
   * buffered — Milvus's datanode syncs a segment's insert buffer at dataNode.segment.insertBufSize (16 MiB), and
   * import syncs each dataNode.import.readBufferSizeInMB (16 MiB) chunk the same way. Default 16 MiB.
   */
  binlogMaxBytes?: number;
  /**
   * Storage v2 (2.6) segments as Milvus writes them: one binlog per column group — group 0 = row id, timestamp and
   * all non-vector fields; one group per vector field, named by its field id. Default false: one dir per field id.
   */
  storageV2ColumnGroups?: boolean;
  /** Flush returns after sealing and the binlogs are written this much later (GetFlushState false meanwhile). Default 0: written before Flush returns. */
  flushDelayMs?: number;
  /** Run a GC pass every N ms (0/undefined: only runGc()). Milvus: dataCoord.gc.interval, 3600 s. */
  gcIntervalMs?: number;
  /** Dropped segments become collectable after this long (Milvus dataCoord.gc.dropTolerance, 10800 s). Default 0. */
  gcDropToleranceMs?: number;
  /** Compact every known collection every N ms (0/undefined: only compact()). Milvus compacts on its own. */
  compactionIntervalMs?: number;
  /** Delay between import job states, so pollers see them (default 150 ms). */
  importStepMs?: number;
  /** dataCoord.import.maxImportFileNumPerReq (default 1024). */
  maxImportFileNumPerReq?: number;
}

interface PersistedState {
  allocator: AllocatorState;
  segments: SegmentMeta[];
  imports: ImportJobRecord[];
  gc: GcControlState;
  droppedCollections: string[];
  flushAll: Record<string, { collections: string[] }>;
}

interface CollState {
  segments: Map<string, Segment>;
  /** (partitionId|vchannel) → id of the growing segment receiving inserts. */
  growing: Map<string, string>;
  /** 2.4+: deletes not yet flushed into an L0 segment, per (vchannel|partitionId or -1). */
  deleteBuffer: Map<string, DeleteEntry[]>;
}


export class Engine implements DataPlane {
  readonly store: ObjectStore;
  readonly alloc: TsoAllocator;
  readonly gc: GcControl;
  readonly version: Version;
  readonly rootPath: string;
  private readonly file: JsonFile<PersistedState>;
  readonly growingFile: JsonFile<unknown>;
  readonly colls = new Map<string, CollState>();
  readonly views = new Map<string, CollectionView>();
  private readonly locks = new Map<string, Promise<unknown>>();
  readonly droppedCollections = new Set<string>();
  private flushAllRecords: Record<string, { collections: string[] }> = {};
  private saveQueued = false;
  private writing?: Promise<void>;
  private gcTimer?: NodeJS.Timeout;
  private compactionTimer?: NodeJS.Timeout;
  private closed = false;
  private readonly background = new Set<Promise<unknown>>();
  importer!: Importer;

  private constructor(readonly o: DataPlaneOptions, state: PersistedState | undefined) {
    this.version = o.version;
    this.rootPath = o.rootPath.replace(/^\/+|\/+$/g, '');
    this.store = new ObjectStore(o.s3, o.bucket);
    this.file = new JsonFile(join(o.dataDir, 'data-plane-state.json'));
    this.growingFile = new JsonFile(join(o.dataDir, 'data-plane-growing.json'));
    this.alloc = new TsoAllocator(state?.allocator);
    this.gc = new GcControl(o.version, state?.gc, () => this.save());
    for (const id of state?.droppedCollections ?? []) this.droppedCollections.add(id);
    this.flushAllRecords = state?.flushAll ?? {};
    for (const m of state?.segments ?? []) {
      const seg = new Segment(m);
      seg.loaded = false;
      this.coll(m.collectionId).segments.set(m.segmentId, seg);
    }
  }

  static async open(o: DataPlaneOptions): Promise<Engine> {
    const file = new JsonFile<PersistedState>(join(o.dataDir, 'data-plane-state.json'));
    const state = await file.read();
    const e = new Engine(o, state);
    e.importer = new Importer(e, state?.imports ?? []);
    await e.restoreGrowing();
    // Segments an interrupted import owned are garbage now (the job restarts with fresh segments).
    for (const c of e.colls.values())
      for (const s of c.segments.values())
        if (s.meta.importJobId && s.meta.state !== 'Dropped') {
          s.meta.state = 'Dropped';
          s.meta.droppedAt = Date.now();
        }
    e.importer.resume();
    if (o.gcIntervalMs && o.gcIntervalMs > 0) {
      e.gcTimer = setInterval(() => {
        e.runGc().catch(() => undefined);
      }, o.gcIntervalMs);
      e.gcTimer.unref();
    }
    if (o.compactionIntervalMs && o.compactionIntervalMs > 0) {
      e.compactionTimer = setInterval(() => {
        for (const c of e.views.values()) if (!e.droppedCollections.has(c.collectionId)) e.track(e.compact(c).catch(() => undefined));
      }, o.compactionIntervalMs);
      e.compactionTimer.unref();
    }
    e.save();
    return e;
  }

  // ---------------------------------------------------------------- state helpers

  coll(id: string): CollState {
    let c = this.colls.get(id);
    if (!c) {
      c = { segments: new Map(), growing: new Map(), deleteBuffer: new Map() };
      this.colls.set(id, c);
    }
    return c;
  }

  remember(c: CollectionView): void {
    this.views.set(c.collectionId, c);
  }

  /** Persists the state soon; writes coalesce (one in flight, at most one queued) so bursts cost one write. */
  save(): void {
    if (this.saveQueued) return;
    this.saveQueued = true;
    const write = () => {
      this.saveQueued = false;
      this.writing = this.file
        .write(this.snapshot())
        .catch(() => undefined)
        .finally(() => {
          this.writing = undefined;
        });
    };
    if (this.writing) void this.writing.then(() => queueMicrotask(write));
    else queueMicrotask(write);
  }

  private snapshot(): PersistedState {
    const segments: SegmentMeta[] = [];
    for (const c of this.colls.values())
      for (const s of c.segments.values()) if (s.meta.state === 'Flushed' || s.meta.state === 'Dropped') segments.push(s.meta);
    return {
      allocator: this.alloc.state(),
      segments,
      imports: this.importer ? this.importer.records() : [],
      gc: this.gc.state(),
      droppedCollections: [...this.droppedCollections],
      flushAll: this.flushAllRecords,
    };
  }

  /** Serialises flush/compaction/drop per collection. */
  async withLock<T>(collectionId: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(collectionId) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.locks.set(collectionId, tail);
    try {
      return await run;
    } finally {
      if (this.locks.get(collectionId) === tail) this.locks.delete(collectionId);
    }
  }

  track<T>(p: Promise<T>): Promise<T> {
    this.background.add(p);
    const done = () => this.background.delete(p);
    p.then(done, done);
    return p;
  }

  allocId(count = 1): string {
    const v = this.alloc.allocRange(count).toString();
    this.save();
    return v;
  }

  /**
   * A new segment of `c` (not yet in its collection's map) in this version's storage format; its id is a fresh
   * one unless given (the importer passes allocId(), which persists the allocator at once).
   */
  newSegment(
    c: CollectionView, partitionId: string, vchannel: string, level: SegmentLevel, state: SegmentState,
    segmentId = this.alloc.alloc().toString(),
  ): Segment {
    return new Segment(
      newSegmentMeta({
        segmentId,
        collectionId: c.collectionId,
        partitionId,
        vchannel,
        level,
        state,
        storageVersion: storageVersionOf(this.version),
      }),
    );
  }

  allocTimestamp(): string {
    const v = this.alloc.alloc().toString();
    this.save();
    return v;
  }

  partitionIdByName(c: CollectionView, name: string): string {
    const p = c.partitions.find((x) => x.name === name);
    if (!p) throw new DataPlaneError(`partition not found[partition=${name}]`, 200, 'UnexpectedError');
    return p.partitionId;
  }

  /** Partition of a row: partition key hash → `_default_<n>` (HashKey2Partitions), else the named or `_default`. */
  private routePartition(c: CollectionView, partitionName: string | undefined, row: Row): string {
    const pkf = c.fields.find((f) => f.isPartitionKey);
    if (pkf) {
      if (partitionName) throw new DataPlaneError('not support manually specifying the partition names if partition key mode is used', 1100, 'IllegalArgument');
      const parts = c.partitions
        .map((p) => ({ p, n: /_(\d+)$/.exec(p.name) }))
        .filter((x) => x.n)
        .sort((a, b) => Number(a.n![1]) - Number(b.n![1]));
      if (parts.length === 0) throw new DataPlaneError('partition key collection has no partitions', 1100, 'IllegalArgument');
      return parts[hashKey(row.get(pkf.fieldId)) % parts.length].p.partitionId;
    }
    return this.partitionIdByName(c, partitionName || '_default');
  }

  private vchannelOf(c: CollectionView, pk: bigint | string): string {
    if (c.vchannels.length === 0) throw new Error(`collection ${c.name} has no vchannels`);
    return c.vchannels[hashKey(pk) % c.vchannels.length];
  }

  maxRows(): number {
    return this.o.maxRowsPerSegment ?? 1_000_000;
  }

  maxBytes(): number {
    return this.o.maxSegmentBytes ?? 512 * 1024 * 1024;
  }

  // ---------------------------------------------------------------- inserts, deletes

  async insert(c: CollectionView, partitionName: string | undefined, rows: Row[]) {
    this.remember(c);
    this.checkAlive(c);
    const ts = this.alloc.alloc();
    return this.insertAt(c, partitionName, rows, ts);
  }

  private checkAlive(c: CollectionView): void {
    if (this.droppedCollections.has(c.collectionId)) throw new DataPlaneError(`collection not found[collection=${c.name}]`, 100, 'CollectionNotExists');
  }

  private insertAt(c: CollectionView, partitionName: string | undefined, rows: Row[], ts: bigint, keepAutoPk = false) {
    const pkf = pkField(c);
    const n = rows.length;
    const ids: string[] = [];
    if (n === 0) return { ids, timestamp: ts.toString() };
    const rowIdStart = this.alloc.allocRange(n);
    const col = this.coll(c.collectionId);
    const toSeal: Segment[] = [];
    rows.forEach((input, i) => {
      const values: Row = new Map();
      for (const f of c.fields) {
        if (input.has(f.fieldId)) values.set(f.fieldId, input.get(f.fieldId)!);
        else if (f.isPrimaryKey && f.autoID) continue;
        // Milvus computes function outputs (BM25 sparse vectors) itself; the sim does not, but a binlog column of
        // a non-nullable vector cannot hold a null, so an uncomputed output is an empty sparse row.
        else if (f.isFunctionOutput && !f.nullable) values.set(f.fieldId, Buffer.alloc(0));
        else values.set(f.fieldId, f.defaultValue !== undefined ? f.defaultValue : null);
      }
      const rowId = rowIdStart + BigInt(i);
      // Milvus allocates autoID primary keys from the same id allocator as row ids.
      if (pkf.autoID && !(keepAutoPk && input.has(pkf.fieldId))) values.set(pkf.fieldId, pkf.dataType === 'Int64' ? rowId : rowId.toString());
      const pk = normPk(values.get(pkf.fieldId), pkf.dataType);
      values.set(pkf.fieldId, pk);
      ids.push(pk.toString());
      const partId = this.routePartition(c, partitionName, values);
      const vch = this.vchannelOf(c, pk);
      const seg = this.growingSegment(c, col, partId, vch);
      seg.rows.push({ rowId, ts, values });
      seg.meta.numRows = seg.rows.length;
      for (const v of values.values()) seg.approxBytes += approxSize(v);
      if (seg.rows.length >= this.maxRows() || seg.approxBytes >= this.maxBytes()) {
        this.sealGrowing(col, seg);
        toSeal.push(seg);
      }
    });
    this.save();
    if (toSeal.length) this.track(this.withLock(c.collectionId, () => this.flushSegments(c, toSeal)).catch(() => undefined));
    return { ids, timestamp: ts.toString() };
  }

  private growingSegment(c: CollectionView, col: CollState, partId: string, vch: string): Segment {
    const key = `${partId}|${vch}`;
    const id = col.growing.get(key);
    const existing = id ? col.segments.get(id) : undefined;
    if (existing && existing.meta.state === 'Growing') return existing;
    const seg = this.newSegment(c, partId, vch, flushedLevel(this.version), 'Growing');
    col.segments.set(seg.id, seg);
    col.growing.set(key, seg.id);
    return seg;
  }

  sealGrowing(col: CollState, seg: Segment): void {
    seg.meta.state = 'Sealed';
    const key = `${seg.meta.partitionId}|${seg.meta.vchannel}`;
    if (col.growing.get(key) === seg.id) col.growing.delete(key);
  }

  async upsert(c: CollectionView, partitionName: string | undefined, rows: Row[]) {
    this.remember(c);
    this.checkAlive(c);
    const pkf = pkField(c);
    const ts = this.alloc.alloc();
    // Upsert = delete the keys + insert, at one timestamp: the delete (ts) hides older rows (row ts < ts) but not
    // the new ones (row ts == ts). Autoid collections keep the supplied key (Milvus ≥ 2.4.x upsert semantics).
    const pks = rows.filter((r) => r.has(pkf.fieldId)).map((r) => normPk(r.get(pkf.fieldId), pkf.dataType));
    // The delete half targets the request's partition (`_default` when none is named); only partition-key
    // collections delete across all partitions (-1) — proxy task_upsert.go deletePreExecute.
    const partitionKeyMode = c.fields.some((f) => f.isPartitionKey);
    if (pks.length) await this.recordDeletes(c, partitionKeyMode ? undefined : partitionName || '_default', pks, ts);
    return this.insertAt(c, partitionName, rows, ts, true);
  }

  async delete(c: CollectionView, partitionName: string | undefined, filter: string) {
    this.remember(c);
    this.checkAlive(c);
    await this.ensureLoaded(c);
    const ts = this.alloc.alloc();
    let pks = simplePkList(c, filter);
    if (!pks) {
      // "Complex delete": Milvus's proxy queries the matching keys first, then deletes them.
      const pkf = pkField(c);
      const rows = await this.query(c, { filter, outputFieldIds: [], partitionNames: partitionName ? [partitionName] : undefined });
      pks = rows.map((r) => normPk(r.get(pkf.fieldId), pkf.dataType));
    }
    await this.recordDeletes(c, partitionName, pks, ts);
    this.save();
    return { deleteCount: pks.length, timestamp: ts.toString() };
  }

  /**
   * 2.4+: the delete goes to the L0 buffer of (vchannel of the key, partition) — the named partition's id, or
   * -1 (common.AllPartitionsID) when the request names none, as Milvus's proxy routes it; the buffer becomes an
   * L0 segment at the next flush. Before 2.4: the delete attaches to the segments that hold the key (bloom filter
   * hit) and is written as a delta log inside those segments at the next flush.
   */
  private async recordDeletes(c: CollectionView, partitionName: string | undefined, pks: Array<bigint | string>, ts: bigint) {
    const col = this.coll(c.collectionId);
    if (partitionName && c.fields.some((f) => f.isPartitionKey))
      throw new DataPlaneError('not support manually specifying the partition names if partition key mode is used', 1100, 'IllegalArgument');
    const partId = partitionName ? this.partitionIdByName(c, partitionName) : '-1';
    if (hasL0(this.version)) {
      for (const pk of pks) {
        const key = `${this.vchannelOf(c, pk)}|${partId}`;
        let buf = col.deleteBuffer.get(key);
        if (!buf) col.deleteBuffer.set(key, (buf = []));
        buf.push({ pk, ts });
      }
      return;
    }
    await this.ensureLoaded(c);
    const pkf = pkField(c);
    const wanted = new Set(pks.map(pkKey));
    for (const seg of col.segments.values()) {
      if (seg.meta.state === 'Dropped' || seg.meta.importJobId) continue;
      if (partId !== '-1' && seg.meta.partitionId !== partId) continue;
      const hit = new Set<string>();
      for (const r of seg.rows) {
        const k = pkKey(r.values.get(pkf.fieldId) as bigint | string);
        if (wanted.has(k) && r.ts < ts) hit.add(k);
      }
      for (const pk of pks) if (hit.has(pkKey(pk))) seg.pendingDeletes.push({ pk, ts });
    }
  }

  // ---------------------------------------------------------------- flush

  async flush(c: CollectionView): Promise<FlushResult> {
    this.remember(c);
    this.checkAlive(c);
    return this.withLock(c.collectionId, () => this.flushLocked(c));
  }






  async getFlushState(segmentIds: string[], flushTs?: string, c?: CollectionView): Promise<boolean> {
    for (const id of segmentIds) {
      const s = this.findSegment(id);
      if (s && s.meta.state !== 'Flushed' && s.meta.state !== 'Dropped') return false;
    }
    if (flushTs && c) {
      const ts = BigInt(flushTs);
      for (const s of this.coll(c.collectionId).segments.values())
        if ((s.meta.state === 'Sealed' || s.meta.state === 'Flushing') && s.rows.some((r) => r.ts <= ts)) return false;
    }
    return true;
  }

  async flushAll(cs: CollectionView[]) {
    for (const c of cs) if (!this.droppedCollections.has(c.collectionId)) await this.flush(c);
    const ts = this.alloc.alloc().toString();
    const perChannelTs: Record<string, string> = {};
    for (const c of cs) for (const p of c.pchannels) perChannelTs[p] = ts;
    this.flushAllRecords[ts] = { collections: cs.map((c) => c.collectionId) };
    this.save();
    return { flushAllTs: ts, perChannelTs };
  }

  async getFlushAllState(flushAllTs: string): Promise<boolean> {
    const ts = BigInt(flushAllTs);
    const rec = this.flushAllRecords[flushAllTs];
    const ids = rec ? rec.collections : [...this.colls.keys()];
    for (const id of ids)
      for (const s of this.coll(id).segments.values())
        if ((s.meta.state === 'Growing' || s.meta.state === 'Sealed' || s.meta.state === 'Flushing') && s.rows.some((r) => r.ts <= ts)) return false;
    return true;
  }

  // ---------------------------------------------------------------- segments

  findSegment(id: string): Segment | undefined {
    for (const c of this.colls.values()) {
      const s = c.segments.get(id);
      if (s) return s;
    }
    return undefined;
  }

  async segments(c: CollectionView): Promise<SegmentView[]> {
    this.remember(c);
    const out: SegmentView[] = [];
    for (const s of this.coll(c.collectionId).segments.values()) {
      if (s.meta.importJobId) continue;
      if (s.meta.state === 'Flushed' || s.meta.state === 'Flushing' || s.meta.state === 'Sealed') out.push(s.view());
    }
    return out.sort((a, b) => (BigInt(a.segmentId) < BigInt(b.segmentId) ? -1 : 1));
  }

  async segment(segmentId: string): Promise<SegmentView | undefined> {
    const s = this.findSegment(segmentId);
    return s && !s.meta.importJobId ? s.view() : undefined;
  }

  /**
   * GetCollectionStatistics' row_count (pymilvus num_entities): rows of sealed/flushed segments, deleted rows
   * included until compaction removes them — growing data is not counted until a flush, as Milvus documents.
   */
  async rowCount(c: CollectionView): Promise<number> {
    let n = 0;
    for (const s of this.coll(c.collectionId).segments.values())
      if (s.meta.state !== 'Dropped' && s.meta.state !== 'Growing' && s.meta.level !== 'L0' && !s.meta.importJobId)
        n += s.meta.state === 'Flushed' ? s.meta.numRows : s.rows.length;
    return n;
  }

  /** Reads back binlogs of segments not in memory (after a restart). */
  async ensureLoaded(c: CollectionView): Promise<void> {
    const col = this.coll(c.collectionId);
    const todo = [...col.segments.values()].filter((s) => !s.loaded && s.meta.state !== 'Dropped');
    await Promise.all(todo.map((s) => this.loadSegment(s)));
  }


  // ---------------------------------------------------------------- reads








  // ---------------------------------------------------------------- compaction, GC, drops



  pauseGc(seconds: number, collectionId?: string): { ticket?: string } {
    return this.gc.pause(seconds, collectionId);
  }

  resumeGc(ticket?: string, collectionId?: string): void {
    this.gc.resume(ticket, collectionId);
  }

  async dropCollection(c: CollectionView): Promise<void> {
    await this.withLock(c.collectionId, async () => {
      const col = this.coll(c.collectionId);
      for (const s of col.segments.values()) {
        if (s.meta.state === 'Dropped') continue;
        s.meta.state = 'Dropped';
        s.meta.droppedAt = Date.now();
        s.rows = s.meta.insertLogs.length ? s.rows : [];
      }
      col.growing.clear();
      col.deleteBuffer.clear();
      this.droppedCollections.add(c.collectionId);
      this.save();
    });
  }

  async dropPartition(c: CollectionView, partitionId: string): Promise<void> {
    await this.withLock(c.collectionId, async () => {
      const col = this.coll(c.collectionId);
      for (const s of col.segments.values()) {
        if (s.meta.partitionId !== partitionId || s.meta.state === 'Dropped') continue;
        s.meta.state = 'Dropped';
        s.meta.droppedAt = Date.now();
      }
      for (const [k, id] of [...col.growing]) if (col.segments.get(id)?.meta.partitionId === partitionId) col.growing.delete(k);
      for (const k of [...col.deleteBuffer.keys()]) if (k.endsWith(`|${partitionId}`)) col.deleteBuffer.delete(k);
      this.save();
    });
  }

  // ---------------------------------------------------------------- import (importer.ts)

  createImport(c: CollectionView, partitionName: string | undefined, files: string[][], options: Record<string, string>): Promise<ImportJobView> {
    this.remember(c);
    this.checkAlive(c);
    return this.importer.create(c, partitionName, files, options);
  }

  async getImport(jobId: string): Promise<ImportJobView | undefined> {
    return this.importer.get(jobId);
  }

  async listImports(c?: CollectionView): Promise<ImportJobView[]> {
    return this.importer.list(c?.collectionId);
  }

  // ---------------------------------------------------------------- faults

  async injectOrphanBinlog(segmentId: string, fieldId: number): Promise<string> {
    const s = this.findSegment(segmentId);
    if (!s || s.meta.state !== 'Flushed' || s.meta.level === 'L0') throw new Error(`no flushed data segment ${segmentId}`);
    const f = s.meta.insertLogs.find((x) => x.fieldId === fieldId);
    if (!f || f.binlogs.length === 0) throw new Error(`segment ${segmentId} has no binlog for field ${fieldId}`);
    const logId = this.allocId();
    const key = insertLogKey(this.rootPath, s.meta.collectionId, s.meta.partitionId, s.id, fieldId, logId);
    await this.store.put(key, await this.store.get(f.binlogs[0].key));
    return key;
  }

  // ---------------------------------------------------------------- lifecycle



  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.gcTimer) clearInterval(this.gcTimer);
    if (this.compactionTimer) clearInterval(this.compactionTimer);
    await this.importer.stop();
    await Promise.allSettled([...this.background]);
    await this.saveGrowing();
    this.save();
    while (this.saveQueued || this.writing) {
      await new Promise((r) => setImmediate(r));
      if (this.writing) await this.writing;
    }
    await this.file.flushed();
    await this.growingFile.flushed();
  }

  // ---------------------------------------------------------------- delegations (flush.ts, reads.ts, compaction.ts, gc.ts)

  private flushLocked(c: CollectionView): Promise<FlushResult> {
    return flushM.flushLocked(this, c);
  }
  flushSegments(c: CollectionView, segs: Segment[]): Promise<void> {
    return flushM.flushSegments(this, c, segs);
  }
  writeInsertLogs(c: CollectionView, seg: Segment): Promise<void> {
    return flushM.writeInsertLogs(this, c, seg);
  }
  writeDelta(c: CollectionView, seg: Segment, entries: DeleteEntry[]) {
    return flushM.writeDelta(this, c, seg, entries);
  }
  writeLegacyDelta(c: CollectionView, seg: Segment): Promise<void> {
    return flushM.writeLegacyDelta(this, c, seg);
  }
  loadSegment(s: Segment): Promise<void> {
    return flushM.loadSegment(this, s);
  }
  dataSegments(c: CollectionView, partitionNames?: string[]): Segment[] {
    return reads.dataSegments(this, c, partitionNames);
  }
  deleteIndex(c: CollectionView, asOf?: bigint) {
    return reads.deleteIndex(this, c, asOf);
  }
  isDeleted(idx: Map<string, reads.DeleteRef[]>, seg: Segment, row: StoredRow, pkFieldId: number): boolean {
    return reads.isDeleted(idx, seg, row, pkFieldId);
  }
  visibleRows(c: CollectionView, filter: string, partitionNames?: string[], asOfTs?: string) {
    return reads.visibleRows(this, c, filter, partitionNames, asOfTs);
  }
  query(c: CollectionView, q: QueryRequest): Promise<Row[]> {
    return reads.query(this, c, q);
  }
  count(c: CollectionView, filter: string, partitionNames?: string[]): Promise<number> {
    return reads.count(this, c, filter, partitionNames);
  }
  search(c: CollectionView, s: SearchRequest): Promise<SearchHit[][]> {
    return reads.search(this, c, s);
  }
  compact(c: CollectionView): Promise<{ compactionId: string; merged: string[]; created: string[] }> {
    return compaction.compact(this, c);
  }
  runGc(): Promise<{ deletedKeys: string[] }> {
    return gcPass.runGc(this);
  }
  private saveGrowing(): Promise<void> {
    return growing.saveGrowing(this);
  }
  private restoreGrowing(): Promise<void> {
    return growing.restoreGrowing(this);
  }

}

