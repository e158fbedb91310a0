/**
 * The data plane of one simulated Milvus instance: growing segments per (partition, vchannel), flush into one
 * binlog per field, deletes (pre-2.4 delta logs / 2.4+ L0 segments), query/search over visible rows,
 * compaction and GC of dropped segments, and backup import (importer.ts). State persists in `<dataDir>/state.json`.
 */
import { join } from 'node:path';
import {
  CollectionView,
  DataPlane,
  DataPlaneError,
  FlushResult,
  ImportJobView,
  QueryRequest,
  Row,
  SearchHit,
  SearchRequest,
  SegmentView,
  Value,
} from './api';
import { TsoAllocator, AllocatorState } from './allocator';
import { DeleteEntry, decodeDeltaLog, decodeInsertLog, encodeDeltaLog, encodeInsertLog } from './binlogCodec';
import { compileFilter, simplePkList } from './expr/eval';
import { ExprError } from './expr/parse';
import { GcControl, GcControlState } from './gcControl';
import { hashKey } from './hash';
import { ObjectStore, S3Options } from './objectStore';
import { deltaLogKey, insertLogKey } from './paths';
import { JsonFile } from './persist';
import { largerIsCloser, score } from './search';
import { Segment, SegmentMeta, StoredRow, approxSize, newSegmentMeta, normPk, pkField, pkKey, refsOf } from './segments';
import { parseTagged, stringifyTagged } from './tagged';
import { Version, flushedLevel, hasL0, storageVersionOf } from './version';
import type { ImportJobRecord } from './importer';
import { Importer } from './importer';

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

interface DeleteRef {
  ts: bigint;
  partitionId: string; // '-1' = every partition
  segmentId?: string; // legacy delta: applies to this segment only
}

export class Engine implements DataPlane {
  readonly store: ObjectStore;
  readonly alloc: TsoAllocator;
  readonly gc: GcControl;
  readonly version: Version;
  readonly rootPath: string;
  private readonly file: JsonFile<PersistedState>;
  private readonly growingFile: JsonFile<unknown>;
  private readonly colls = new Map<string, CollState>();
  readonly views = new Map<string, CollectionView>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly droppedCollections = new Set<string>();
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

  allocTimestamp(): string {
    const v = this.alloc.alloc().toString();
    this.save();
    return v;
  }

  private partitionIdByName(c: CollectionView, name: string): string {
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

  private maxRows(): number {
    return this.o.maxRowsPerSegment ?? 1_000_000;
  }

  private maxBytes(): number {
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
    const seg = new Segment(
      newSegmentMeta({
        segmentId: this.alloc.alloc().toString(),
        collectionId: c.collectionId,
        partitionId: partId,
        vchannel: vch,
        level: flushedLevel(this.version),
        state: 'Growing',
        storageVersion: storageVersionOf(this.version),
      }),
    );
    col.segments.set(seg.id, seg);
    col.growing.set(key, seg.id);
    return seg;
  }

  private sealGrowing(col: CollState, seg: Segment): void {
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
    if (pks.length) await this.recordDeletes(c, partitionName, pks, ts);
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

  private async flushLocked(c: CollectionView): Promise<FlushResult> {
    const col = this.coll(c.collectionId);
    const before = new Set<string>();
    for (const s of col.segments.values())
      if (s.meta.state === 'Flushed' && s.meta.level !== 'L0' && !s.meta.importJobId) before.add(s.id);
    const sealed: Segment[] = [];
    for (const s of col.segments.values()) {
      if (s.meta.importJobId) continue;
      if (s.meta.state === 'Growing' && s.rows.length > 0) {
        this.sealGrowing(col, s);
        sealed.push(s);
      } else if (s.meta.state === 'Sealed' || s.meta.state === 'Flushing') sealed.push(s);
    }
    const flushTs = this.alloc.alloc();
    const sealTimeSec = Math.floor(Date.now() / 1000);
    // L0 segments from the delete buffer (not reported in coll_segIDs, as datacoord leaves L0 out).
    const l0: Segment[] = [];
    for (const [key, entries] of col.deleteBuffer) {
      if (entries.length === 0) continue;
      const [vch, partId] = key.split('|');
      const seg = new Segment(
        newSegmentMeta({
          segmentId: this.alloc.alloc().toString(),
          collectionId: c.collectionId,
          partitionId: partId,
          vchannel: vch,
          level: 'L0',
          state: 'Flushing',
          storageVersion: storageVersionOf(this.version),
        }),
      );
      seg.deletes = entries;
      col.segments.set(seg.id, seg);
      l0.push(seg);
    }
    col.deleteBuffer.clear();
    await this.flushSegments(c, [...sealed.filter((s) => s.meta.state !== 'Flushed'), ...l0]);
    // Pre-2.4 deletes on already-flushed segments: one new delta log per segment.
    for (const s of col.segments.values()) if (s.pendingDeletes.length && s.meta.state === 'Flushed') await this.writeLegacyDelta(c, s);
    const segmentIds = sealed.map((s) => s.id);
    const flushed = [...before].filter((id) => !segmentIds.includes(id));
    this.save();
    const checkpoints: FlushResult['channelCheckpoints'] = {};
    for (const v of c.vchannels) {
      const msgId = Buffer.alloc(8);
      msgId.writeBigUInt64LE(flushTs);
      checkpoints[v] = { timestamp: flushTs.toString(), msgId };
    }
    return { segmentIds, flushedSegmentIds: flushed, flushTs: flushTs.toString(), sealTimeSec, channelCheckpoints: checkpoints };
  }

  /** Writes one binlog per field (0, 1, every user field incl. $meta) per segment, then marks it Flushed. */
  async flushSegments(c: CollectionView, segs: Segment[]): Promise<void> {
    for (const seg of segs) {
      if (seg.meta.state === 'Flushed' || seg.meta.state === 'Dropped') continue;
      seg.meta.state = 'Flushing';
      if (seg.meta.level === 'L0') {
        const ref = await this.writeDelta(c, seg, seg.deletes);
        seg.meta.deltaLogs = [ref];
        seg.meta.numRows = seg.deletes.length; // L0 num_rows counts delete entries
        seg.meta.timestampFrom = ref.timestampFrom;
        seg.meta.timestampTo = ref.timestampTo;
      } else {
        await this.writeInsertLogs(c, seg);
        if (seg.pendingDeletes.length) await this.writeLegacyDelta(c, seg);
      }
      seg.meta.state = 'Flushed';
      this.save();
    }
  }

  async writeInsertLogs(c: CollectionView, seg: Segment): Promise<void> {
    const rows = seg.rows;
    let tsFrom = rows.length ? rows[0].ts : 0n;
    let tsTo = tsFrom;
    for (const r of rows) {
      if (r.ts < tsFrom) tsFrom = r.ts;
      if (r.ts > tsTo) tsTo = r.ts;
    }
    const columns: Array<{ fieldId: number; dataType: string; values: Value[] }> = [
      { fieldId: 0, dataType: 'Int64', values: rows.map((r) => r.rowId) },
      { fieldId: 1, dataType: 'Int64', values: rows.map((r) => r.ts) },
      ...c.fields.map((f) => ({
        fieldId: f.fieldId,
        dataType: f.dataType,
        values: rows.map((r) => (r.values.has(f.fieldId) ? r.values.get(f.fieldId)! : f.defaultValue !== undefined ? f.defaultValue : null)),
      })),
    ];
    const first = this.alloc.allocRange(columns.length);
    const insertLogs: SegmentMeta['insertLogs'] = [];
    await Promise.all(
      columns.map(async (col, i) => {
        const logId = (first + BigInt(i)).toString();
        const key = insertLogKey(this.rootPath, seg.meta.collectionId, seg.meta.partitionId, seg.id, col.fieldId, logId);
        const body = encodeInsertLog(
          {
            collectionId: seg.meta.collectionId,
            partitionId: seg.meta.partitionId,
            segmentId: seg.id,
            fieldId: col.fieldId,
            dataType: col.dataType,
            storageVersion: seg.meta.storageVersion,
            timestampFrom: tsFrom.toString(),
            timestampTo: tsTo.toString(),
          },
          col.values,
        );
        await this.store.put(key, body);
        insertLogs[i] = {
          fieldId: col.fieldId,
          binlogs: [{ logId, key, size: body.length, entries: rows.length, timestampFrom: tsFrom.toString(), timestampTo: tsTo.toString() }],
        };
      }),
    );
    seg.meta.insertLogs = insertLogs;
    seg.meta.numRows = rows.length;
    seg.meta.timestampFrom = tsFrom.toString();
    seg.meta.timestampTo = tsTo.toString();
  }

  async writeDelta(c: CollectionView, seg: Segment, entries: DeleteEntry[]) {
    let from = entries.length ? entries[0].ts : 0n;
    let to = from;
    for (const e of entries) {
      if (e.ts < from) from = e.ts;
      if (e.ts > to) to = e.ts;
    }
    const logId = this.alloc.alloc().toString();
    const key = deltaLogKey(this.rootPath, seg.meta.collectionId, seg.meta.partitionId, seg.id, logId);
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
    await this.store.put(key, body);
    void c;
    return { logId, key, size: body.length, entries: entries.length, timestampFrom: from.toString(), timestampTo: to.toString() };
  }

  private async writeLegacyDelta(c: CollectionView, seg: Segment): Promise<void> {
    const entries = seg.pendingDeletes;
    seg.pendingDeletes = [];
    const ref = await this.writeDelta(c, seg, entries);
    seg.meta.deltaLogs.push(ref);
    seg.deletes.push(...entries);
    this.save();
  }

  async getFlushState(segmentIds: string[], flushTs?: string, c?: CollectionView): Promise<boolean> {
    await Promise.all([...this.background]);
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
    await Promise.all([...this.background]);
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

  async loadSegment(s: Segment): Promise<void> {
    if (s.loaded) return;
    const deletes: DeleteEntry[] = [];
    for (const ref of s.meta.deltaLogs) deletes.push(...decodeDeltaLog(await this.store.get(ref.key)).entries);
    const cols = new Map<number, Value[]>();
    for (const f of s.meta.insertLogs) {
      const vals: Value[] = [];
      for (const ref of f.binlogs) vals.push(...decodeInsertLog(await this.store.get(ref.key)).values);
      cols.set(f.fieldId, vals);
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

  // ---------------------------------------------------------------- reads

  /** Segments whose rows are visible to queries (not dropped, not owned by a running import, not L0). */
  private dataSegments(c: CollectionView, partitionNames?: string[]): Segment[] {
    const parts = partitionNames && partitionNames.length ? new Set(partitionNames.map((n) => this.partitionIdByName(c, n))) : undefined;
    return [...this.coll(c.collectionId).segments.values()].filter(
      (s) => s.meta.state !== 'Dropped' && s.meta.level !== 'L0' && !s.meta.importJobId && (!parts || parts.has(s.meta.partitionId)),
    );
  }

  private deleteIndex(c: CollectionView, asOf?: bigint): Map<string, DeleteRef[]> {
    const idx = new Map<string, DeleteRef[]>();
    const add = (e: DeleteEntry, ref: Omit<DeleteRef, 'ts'>) => {
      if (asOf !== undefined && e.ts > asOf) return;
      const k = pkKey(e.pk);
      let l = idx.get(k);
      if (!l) idx.set(k, (l = []));
      l.push({ ts: e.ts, ...ref });
    };
    const col = this.coll(c.collectionId);
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

  private isDeleted(idx: Map<string, DeleteRef[]>, seg: Segment, row: StoredRow, pkFieldId: number): boolean {
    const l = idx.get(pkKey(row.values.get(pkFieldId) as bigint | string));
    if (!l) return false;
    return l.some((d) => d.ts > row.ts && (d.segmentId ? d.segmentId === seg.id : d.partitionId === '-1' || d.partitionId === seg.meta.partitionId));
  }

  /** Visible rows (after deletes and filter), each with its segment. */
  async visibleRows(c: CollectionView, filter: string, partitionNames?: string[], asOfTs?: string): Promise<Array<{ seg: Segment; row: StoredRow }>> {
    await this.ensureLoaded(c);
    let pred;
    try {
      pred = compileFilter(c, filter);
    } catch (e) {
      if (e instanceof ExprError) throw new DataPlaneError(e.message, 1100, 'IllegalArgument');
      throw e;
    }
    const asOf = asOfTs !== undefined && asOfTs !== '' && asOfTs !== '0' ? BigInt(asOfTs) : undefined;
    const idx = this.deleteIndex(c, asOf);
    const pkf = pkField(c);
    const out: Array<{ seg: Segment; row: StoredRow }> = [];
    const segs = this.dataSegments(c, partitionNames).sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    for (const seg of segs)
      for (const row of seg.rows) {
        if (asOf !== undefined && row.ts > asOf) continue;
        if (this.isDeleted(idx, seg, row, pkf.fieldId)) continue;
        if (!pred(row.values)) continue;
        out.push({ seg, row });
      }
    return out;
  }

  async query(c: CollectionView, q: QueryRequest): Promise<Row[]> {
    this.remember(c);
    const pkf = pkField(c);
    const rows = await this.visibleRows(c, q.filter, q.partitionNames, q.asOfTs);
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
    const offset = q.offset ?? 0;
    const sliced = q.limit !== undefined && q.limit >= 0 ? picked.slice(offset, offset + q.limit) : picked.slice(offset);
    return sliced.map((r) => project(r, pkf.fieldId, q.outputFieldIds));
  }

  async count(c: CollectionView, filter: string, partitionNames?: string[]): Promise<number> {
    this.remember(c);
    return (await this.visibleRows(c, filter, partitionNames)).length;
  }

  async search(c: CollectionView, s: SearchRequest): Promise<SearchHit[][]> {
    this.remember(c);
    const pkf = pkField(c);
    const field = c.fields.find((f) => f.fieldId === s.annsFieldId);
    if (!field) throw new DataPlaneError(`field ${s.annsFieldId} not exist`, 1100, 'IllegalArgument');
    const rows = await this.visibleRows(c, s.filter, s.partitionNames);
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

  // ---------------------------------------------------------------- compaction, GC, drops

  /**
   * Mix compaction: per (partition, vchannel), the flushed non-L0 segments that are ≥ 2 or carry deletes are
   * rewritten into one new segment (fresh id and binlogs, deleted rows removed) and the old ones become Dropped.
   * L0 segments of a vchannel are dropped once their deletes are applied (no unflushed data left on that
   * vchannel), like Milvus's L0 compaction. Dropped files stay until GC.
   */
  async compact(c: CollectionView): Promise<{ compactionId: string; merged: string[]; created: string[] }> {
    this.remember(c);
    return this.withLock(c.collectionId, async () => {
      await this.ensureLoaded(c);
      const compactionId = this.alloc.alloc().toString();
      const col = this.coll(c.collectionId);
      const idx = this.deleteIndex(c);
      const pkf = pkField(c);
      const groups = new Map<string, Segment[]>();
      for (const s of col.segments.values()) {
        if (s.meta.state !== 'Flushed' || s.meta.level === 'L0' || s.meta.importJobId) continue;
        const k = `${s.meta.partitionId}|${s.meta.vchannel}`;
        let g = groups.get(k);
        if (!g) groups.set(k, (g = []));
        g.push(s);
      }
      const merged: string[] = [];
      const created: string[] = [];
      for (const g of groups.values()) {
        const withDeletes = g.some((s) => s.rows.some((r) => this.isDeleted(idx, s, r, pkf.fieldId)));
        if (g.length < 2 && !withDeletes) continue;
        g.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
        const rows: StoredRow[] = [];
        for (const s of g) for (const r of s.rows) if (!this.isDeleted(idx, s, r, pkf.fieldId)) rows.push(r);
        if (rows.length > 0) {
          const seg = new Segment(
            newSegmentMeta({
              segmentId: this.alloc.alloc().toString(),
              collectionId: c.collectionId,
              partitionId: g[0].meta.partitionId,
              vchannel: g[0].meta.vchannel,
              level: hasL0(this.version) ? 'L1' : 'Legacy',
              state: 'Flushing',
              storageVersion: storageVersionOf(this.version),
            }),
          );
          seg.rows = rows;
          seg.meta.isSorted = true;
          // Invisible while its binlogs are written (a crash leaves it to be dropped at restart, like an import's).
          seg.meta.importJobId = `compaction-${compactionId}`;
          col.segments.set(seg.id, seg);
          await this.writeInsertLogs(c, seg);
          seg.meta.state = 'Flushed';
          created.push(seg.id);
        }
        // Swap in one synchronous step so no reader sees both the old and the new rows.
        const fresh = created.length ? col.segments.get(created[created.length - 1]) : undefined;
        if (fresh && rows.length > 0) delete fresh.meta.importJobId;
        for (const s of g) {
          // Pre-2.4 deletes that arrived while we wrote follow the rows into the new segment.
          if (fresh && rows.length > 0) fresh.pendingDeletes.push(...s.pendingDeletes);
          s.meta.state = 'Dropped';
          s.meta.droppedAt = Date.now();
          merged.push(s.id);
        }
      }
      for (const s of col.segments.values()) {
        if (s.meta.level !== 'L0' || s.meta.state !== 'Flushed') continue;
        const pending = [...col.segments.values()].some(
          (x) => x.meta.vchannel === s.meta.vchannel && (x.meta.state === 'Growing' || x.meta.state === 'Sealed' || x.meta.state === 'Flushing') && x.rows.length > 0,
        );
        if (pending) continue;
        s.meta.state = 'Dropped';
        s.meta.droppedAt = Date.now();
        merged.push(s.id);
      }
      this.save();
      return { compactionId, merged, created };
    });
  }

  /** One GC pass: removes the binlogs (then the metadata) of dropped segments, unless GC is paused for them. */
  async runGc(): Promise<{ deletedKeys: string[] }> {
    const tolerance = this.o.gcDropToleranceMs ?? 0;
    const now = Date.now();
    const deletedKeys: string[] = [];
    for (const [collId, col] of this.colls) {
      if (this.gc.isPaused(collId)) continue;
      for (const s of [...col.segments.values()]) {
        if (s.meta.state !== 'Dropped') continue;
        if ((s.meta.droppedAt ?? 0) + tolerance > now) continue;
        const keys = refsOf(s.meta).map((r) => r.key);
        if (keys.length) await this.store.remove(keys);
        deletedKeys.push(...keys);
        col.segments.delete(s.id);
      }
    }
    this.save();
    return { deletedKeys };
  }

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

  // ---------------------------------------------------------------- lifecycle

  /**
   * Growing (unflushed) rows and buffered deletes survive a graceful close (SIGINT/SIGTERM → close()): they are
   * written to `<dataDir>/data-plane-growing.json` and reloaded — Milvus would replay them from its WAL. A crash
   * (no close) loses them.
   */
  private async saveGrowing(): Promise<void> {
    const out: unknown[] = [];
    for (const [collId, col] of this.colls) {
      const segs = [...col.segments.values()].filter((s) => s.meta.state === 'Growing' || s.meta.state === 'Sealed' || s.meta.state === 'Flushing');
      const legacyPending = [...col.segments.values()].filter((s) => s.meta.state === 'Flushed' && s.pendingDeletes.length).map((s) => ({ id: s.id, d: s.pendingDeletes }));
      out.push({
        collId,
        segs: segs.map((s) => ({ meta: s.meta, rows: s.rows.map((r) => [r.rowId, r.ts, [...r.values.entries()]]), pending: s.pendingDeletes })),
        growing: [...col.growing.entries()],
        deleteBuffer: [...col.deleteBuffer.entries()],
        legacyPending,
      });
    }
    await this.growingFile.write(stringifyTagged(out) as unknown as never);
  }

  private async restoreGrowing(): Promise<void> {
    const raw = await this.growingFile.read();
    if (typeof raw !== 'string') return;
    type Saved = {
      collId: string;
      segs: Array<{ meta: SegmentMeta; rows: Array<[bigint, bigint, Array<[number, Value]>]>; pending: DeleteEntry[] }>;
      growing: Array<[string, string]>;
      deleteBuffer: Array<[string, DeleteEntry[]]>;
      legacyPending: Array<{ id: string; d: DeleteEntry[] }>;
    };
    const saved = parseTagged<Saved[]>(raw);
    for (const s of saved) {
      const col = this.coll(s.collId);
      if (this.droppedCollections.has(s.collId)) continue;
      for (const g of s.segs) {
        const seg = new Segment(g.meta);
        seg.rows = g.rows.map(([rowId, ts, vals]) => ({ rowId, ts, values: new Map(vals.map(([k, v]) => [Number(k), v])) }));
        seg.pendingDeletes = g.pending;
        if (seg.meta.state === 'Flushing') seg.meta.state = 'Sealed';
        col.segments.set(seg.id, seg);
      }
      for (const [k, v] of s.growing) col.growing.set(k, v);
      for (const [k, v] of s.deleteBuffer) col.deleteBuffer.set(k, v);
      for (const p of s.legacyPending) {
        const seg = col.segments.get(p.id);
        if (seg) seg.pendingDeletes.push(...p.d);
      }
    }
    await this.growingFile.write('[]' as unknown as never);
  }

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
}

function project(r: StoredRow, pkFieldId: number, outputFieldIds: number[]): Row {
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
