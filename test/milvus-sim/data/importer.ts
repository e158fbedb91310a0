/**
 * Import as Milvus does it for backups (proxy task_import.go → datacoord ImportV2 / ListBinlogImportRequestFiles →
 * datanode importv2 with internal/util/importutilv2/binlog):
 *
 *  - `backup=true`: each request file is [insertPrefix, deltaPrefix?]. Datacoord lists the insert prefix ONE
 *    level deep; every child "directory" is taken as one segment (ListBinlogsAndGroupBySegment), paired with the
 *    delta child of the same base name. So the prefix is a group dir (`…/<part>/<groupID>/`, the backup tool's
 *    layout) or a partition dir of old backups — both contain segment dirs. The reader then lists each segment
 *    dir recursively and keys files by their parent dir name = field id, verifies the schema against them
 *    (`no binlog for field:<name>`, `no binlog for RowID field`, `misaligned binlog count …`), applies the deltas
 *    (a row goes when a delete of its pk has ts > row ts) and the time range (`start_ts`/`end_ts`).
 *  - `l0_import=true`: each file is [deltaPrefix]; its delta logs (recursive) become L0 segments of the target
 *    partition, or of partition -1 (all partitions) when the request names none. Before 2.6.5 a job takes one
 *    L0 prefix only ("there should be one prefix for l0 import").
 *  - rows keep their row ids and timestamps from the binlogs ("for binlog import, keep original rowID and ts",
 *    datanode importv2 util.go AppendSystemFieldsData); autoID primary keys are re-allocated unless the
 *    collection has `allow_insert_auto_id=true` (same function); the others are kept.
 *  - the new segments (fresh ids, this instance's bucket and rootPath) stay invisible until the job completes.
 *
 * States advance asynchronously: Pending → PreImporting → Importing → (2.6: Uncommitted → Committing) →
 * Completed, or Failed with the reason, `importStepMs` apart.
 */
import type { CollectionView, ImportJobView, ImportState, Row, Value } from './api';
import { DataPlaneError } from './api';
import { DeleteEntry, PayloadError, columnsOf, decodeDeltaLog, decodeInsertLog } from './binlogCodec';
import type { Engine } from './engine';
import { hashKey } from './hash';
import { baseName, parentDir } from './paths';
import { Segment, StoredRow, approxSize, normPk, pkField, pkKey } from './segments';
import { parseTagged, stringifyTagged } from './tagged';
import { flushedLevel, hasL0, multiL0Import, twoPhaseImport } from './version';

export interface ImportJobRecord {
  view: ImportJobView;
  collection: string; // tagged JSON of the CollectionView at creation
  partitionId: string; // target partition, '-1' for collection-wide L0 import
  options: Record<string, string>;
  kind: 'backup' | 'l0';
  /** Backup: per-segment [insertDir, deltaDir?] after datacoord's expansion; L0: the request files. */
  segmentFiles: string[][];
}

const MAX_U64 = (1n << 64n) - 1n;

/** merr.WrapErrImportFailed: "<msg>: importing data failed". */
export const importFailed = (msg: string) => `${msg}: importing data failed`;
const invalidParam = (msg: string) => `${msg}: invalid parameter`;

class ImportFailure extends Error {}

function goList(paths: string[]): string {
  return `[${paths.join(' ')}]`;
}

function goFiles(files: string[][]): string {
  return `[${files.map((f) => f.map((p) => `paths:"${p}"`).join(' ')).join(' ')}]`;
}

function isTrue(v: string | undefined): boolean {
  return (v ?? '').toLowerCase() === 'true';
}

/** importutilv2.ParseTimeRange: `start_ts` (default 0) and `end_ts` (default max uint64). */
export function parseTimeRange(options: Record<string, string>): { start: bigint; end: bigint } {
  const get = (key: string, dflt: bigint) => {
    const s = options[key];
    if (s === undefined) return dflt;
    if (!/^-?\d+$/.test(s.trim())) throw new DataPlaneError(importFailed(`parse ${key} failed, value=${s}, err=strconv.ParseInt: parsing "${s}": invalid syntax`), 2100);
    const v = BigInt(s.trim());
    if (v < 0n) throw new DataPlaneError(importFailed(`parse ${key} failed, value=${s}, err=negative timestamp`), 2100);
    return v;
  };
  const start = get('start_ts', 0n);
  const end = get('end_ts', MAX_U64);
  if (start > end) throw new DataPlaneError(importFailed(`start_ts shouldn't be larger than end_ts, start_ts:${start}, end_ts:${end}`), 2100);
  return { start, end };
}

export class Importer {
  private readonly jobs = new Map<string, ImportJobRecord>();
  private readonly running = new Map<string, Promise<void>>();
  private stopping = false;

  constructor(private readonly e: Engine, records: ImportJobRecord[]) {
    for (const r of records) this.jobs.set(r.view.jobId, r);
  }

  records(): ImportJobRecord[] {
    return [...this.jobs.values()];
  }

  get(jobId: string): ImportJobView | undefined {
    const r = this.jobs.get(jobId);
    return r ? { ...r.view, segmentIds: [...r.view.segmentIds], files: r.view.files.map((f) => [...f]) } : undefined;
  }

  list(collectionId?: string): ImportJobView[] {
    return this.records()
      .filter((r) => !collectionId || r.view.collectionId === collectionId)
      .map((r) => this.get(r.view.jobId)!);
  }

  private get maxFiles(): number {
    return this.e.o.maxImportFileNumPerReq ?? 1024;
  }

  private get stepMs(): number {
    return this.e.o.importStepMs ?? 150;
  }

  /** Validation Milvus does before a job exists (proxy + datacoord); failures are the RPC's error status. */
  async create(c: CollectionView, partitionName: string | undefined, files: string[][], options: Record<string, string>): Promise<ImportJobView> {
    const isBackup = isTrue(options.backup);
    const isL0 = isTrue(options.l0_import);
    if (!isBackup && !isL0)
      throw new DataPlaneError(importFailed('the Milvus simulator imports only binlogs (backup=true) and L0 deltas (l0_import=true), not JSON/Parquet/Numpy/CSV files'), 2100);
    if (isL0 && !isBackup && !hasL0(this.e.version))
      throw new DataPlaneError(importFailed('l0_import needs Milvus 2.4 or later (no L0 segments before 2.4)'), 2100);
    let partitionId = '-1';
    if (isBackup) {
      if (!partitionName) throw new DataPlaneError(invalidParam('partition not specified'), 1100, 'IllegalArgument');
      partitionId = this.partitionId(c, partitionName);
    } else if (partitionName) partitionId = this.partitionId(c, partitionName);
    const req = files.filter((f) => f.length > 0);
    if (req.length === 0) throw new DataPlaneError(invalidParam('import request is empty'), 1100, 'IllegalArgument');
    if (req.length > this.maxFiles)
      throw new DataPlaneError(importFailed(`The max number of import files should not exceed ${this.maxFiles}, but got ${req.length}`), 2100);
    parseTimeRange(options);
    let segmentFiles = req;
    if (isBackup) segmentFiles = await this.listBinlogImportRequestFiles(req);
    const jobId = this.e.allocId();
    const view: ImportJobView = {
      jobId,
      dbName: c.dbName,
      collectionName: c.name,
      collectionId: c.collectionId,
      state: 'Pending',
      progress: 0,
      reason: '',
      importedRows: 0,
      totalRows: 0,
      segmentIds: [],
      createTime: Date.now(),
      files: req.map((f) => [...f]),
    };
    const rec: ImportJobRecord = { view, collection: stringifyTagged(c), partitionId, options: { ...options }, kind: isBackup ? 'backup' : 'l0', segmentFiles };
    this.jobs.set(jobId, rec);
    this.e.save();
    this.start(rec);
    return this.get(jobId)!;
  }

  private partitionId(c: CollectionView, name: string): string {
    const p = c.partitions.find((x) => x.name === name);
    if (!p) throw new DataPlaneError(`partition not found[partition=${name}]`, 200);
    return p.partitionId;
  }

  /** datacoord ListBinlogImportRequestFiles + ListBinlogsAndGroupBySegment. */
  private async listBinlogImportRequestFiles(req: string[][]): Promise<string[][]> {
    for (const f of req)
      if (f.length > 2)
        throw new DataPlaneError(importFailed(`too many input paths for binlog import. Valid paths length should be one or two, but got paths:${goList(f)}`), 2100);
    const out: string[][] = [];
    for (const f of req) {
      const insertChildren = await this.e.store.listOneLevel(f[0]);
      const segs = insertChildren.map((p) => [p]);
      if (f.length > 1 && f[1] !== '') {
        const deltaChildren = await this.e.store.listOneLevel(f[1]);
        const byBase = new Map(deltaChildren.map((p) => [baseName(p), p]));
        for (const s of segs) {
          const d = byBase.get(baseName(s[0]));
          if (d) s.push(d);
        }
      }
      out.push(...segs);
    }
    if (out.length === 0) throw new DataPlaneError(importFailed(`no binlog to import, input=${goFiles(req)}`), 2100);
    if (out.length > this.maxFiles)
      throw new DataPlaneError(importFailed(`The max number of import files should not exceed ${this.maxFiles}, but got ${out.length}`), 2100);
    return out;
  }

  /** Jobs that were running when the instance stopped start over (their half-written segments were dropped). */
  resume(): void {
    for (const r of this.jobs.values()) {
      if (r.view.state === 'Completed' || r.view.state === 'Failed') continue;
      r.view.state = 'Pending';
      r.view.progress = 0;
      r.view.segmentIds = [];
      this.start(r);
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.running.values()]);
  }

  private start(r: ImportJobRecord): void {
    const p = this.run(r).finally(() => this.running.delete(r.view.jobId));
    this.running.set(r.view.jobId, p);
  }

  private set(r: ImportJobRecord, state: ImportState, progress: number): void {
    r.view.state = state;
    r.view.progress = progress;
    this.e.save();
  }

  /** Waits one step; false when the instance is stopping. A dropped target collection fails the job (importChecker.checkCollection). */
  private async pause(r?: ImportJobRecord): Promise<boolean> {
    await new Promise((res) => setTimeout(res, this.stepMs));
    if (r && this.e.droppedCollections.has(r.view.collectionId)) throw new ImportFailure(`collection ${r.view.collectionId} dropped`);
    return !this.stopping;
  }

  private async run(r: ImportJobRecord): Promise<void> {
    const c = parseTagged<CollectionView>(r.collection);
    try {
      if (!(await this.pause(r))) return;
      this.set(r, 'PreImporting', 10);
      const prepared = r.kind === 'backup' ? await this.readBackup(c, r) : await this.readL0(c, r);
      r.view.totalRows = prepared.total;
      if (!(await this.pause(r))) return;
      this.set(r, 'Importing', 50);
      const segs = await prepared.write();
      r.view.segmentIds = segs.map((s) => s.id);
      r.view.importedRows = prepared.total;
      this.set(r, 'Importing', 90);
      if (twoPhaseImport(this.e.version)) {
        if (!(await this.pause(r))) return;
        this.set(r, 'Uncommitted', 95);
        if (!(await this.pause(r))) return;
        this.set(r, 'Committing', 98);
      }
      if (!(await this.pause(r))) return;
      for (const s of segs) delete s.meta.importJobId;
      this.set(r, 'Completed', 100);
    } catch (err) {
      const msg = err instanceof ImportFailure ? err.message : importFailed(String((err as Error)?.message ?? err));
      r.view.reason = msg;
      for (const id of r.view.segmentIds) {
        const s = this.e.findSegment(id);
        if (s) {
          s.meta.state = 'Dropped';
          s.meta.droppedAt = Date.now();
        }
      }
      this.set(r, 'Failed', r.view.progress);
    }
  }

  private async readFile(key: string): Promise<Buffer> {
    try {
      return await this.e.store.get(key);
    } catch {
      throw new ImportFailure(importFailed(`failed to open binlog ${key}`));
    }
  }

  /** The entries of every delta log under `prefix` (recursive); an unreadable one fails the import. */
  private async readDeltaLogs(prefix: string): Promise<DeleteEntry[]> {
    const out: DeleteEntry[] = [];
    for (const o of await this.e.store.list(prefix)) {
      try {
        out.push(...decodeDeltaLog(await this.readFile(o.key)).entries);
      } catch (e) {
        if (e instanceof ImportFailure) throw e;
        throw new ImportFailure(importFailed(`failed to read delta log ${o.key}: ${(e as Error).message}`));
      }
    }
    return out;
  }

  /** Reads and verifies every segment of a backup job (PreImport), returning the rows to write. */
  private async readBackup(c: CollectionView, r: ImportJobRecord) {
    const { start, end } = parseTimeRange(r.options);
    const requestedSv = r.options.storage_version !== undefined ? Number(r.options.storage_version) : 0;
    const pkf = pkField(c);
    const allow = isTrue(c.properties?.allow_insert_auto_id);
    const rows: StoredRow[] = [];
    for (const paths of r.segmentFiles) {
      if (paths.length === 0) throw new ImportFailure(importFailed('no insert binlogs to import'));
      const listed = await this.e.store.list(paths[0]);
      const insertLogs = new Map<number, string[]>();
      for (const o of listed) {
        const dir = baseName(parentDir(o.key));
        if (!/^-?\d+$/.test(dir))
          throw new ImportFailure(importFailed(`failed to parse field id from log, error: strconv.ParseInt: parsing "${dir}": invalid syntax`));
        const id = Number(dir);
        let l = insertLogs.get(id);
        if (!l) insertLogs.set(id, (l = []));
        l.push(o.key);
      }
      for (const l of insertLogs.values()) l.sort();
      const valid = this.verify(c, requestedSv, insertLogs);
      // Read columns.
      const cols = new Map<number, Value[]>();
      for (const [fid, keys] of valid) {
        for (const k of keys) {
          const buf = await this.readFile(k);
          let decoded;
          try {
            decoded = decodeInsertLog(buf);
          } catch (e) {
            // importutilv2/binlog/util.go: NewBinlogReader errors vs GetDataFromPayload errors
            if (e instanceof PayloadError) throw new ImportFailure(importFailed(`failed to read data, error: ${e.message}`));
            throw new ImportFailure(importFailed(`failed to create reader, binlog:${k}, error:${(e as Error).message}`));
          }
          const fileSv = decoded.header.storageVersion === 2 ? 2 : 0;
          const wantSv = requestedSv === 2 ? 2 : 0;
          if (fileSv !== wantSv)
            throw new ImportFailure(
              importFailed(`failed to create reader, binlog:${k}, error:binlog was written with storage version ${decoded.header.storageVersion}, read as storage version ${requestedSv}`),
            );
          // A column-group file (storage v2) carries several fields; a plain one carries its dir's field.
          if (!decoded.header.childFields) checkPayloadType(c, fid, decoded.header.dataType ?? 'None');
          for (const [fid, vals] of columnsOf(decoded)) {
            const prev = cols.get(fid);
            if (prev) prev.push(...vals);
            else cols.set(fid, [...vals]);
          }
        }
      }
      const n = (cols.get(0) ?? cols.get(1) ?? [...cols.values()][0] ?? []).length;
      for (const [fid, vals] of cols)
        if (vals.length !== n) throw new ImportFailure(importFailed(`imported rows are not aligned, field ${fid} has ${vals.length} rows, expected ${n}`));
      // Deletes of this segment (delta dir, recursive), newest ts per pk, inside the time range.
      const deletes = new Map<string, bigint>();
      if (paths[1]) {
        for (const d of await this.readDeltaLogs(paths[1])) {
          if (d.ts < start || d.ts > end) continue;
          const k = pkKey(normPk(d.pk, pkf.dataType));
          const prev = deletes.get(k);
          if (prev === undefined || d.ts > prev) deletes.set(k, d.ts);
        }
      }
      const rowIds = cols.get(0) ?? [];
      const tss = cols.get(1) ?? [];
      for (let i = 0; i < n; i++) {
        const ts = BigInt(tss[i] as bigint);
        if (ts < start || ts > end) continue;
        const values: Row = new Map();
        for (const f of c.fields) {
          const col = cols.get(f.fieldId);
          if (col) values.set(f.fieldId, col[i]);
          else values.set(f.fieldId, f.defaultValue !== undefined ? f.defaultValue : null);
        }
        const pkv = values.get(pkf.fieldId);
        if (pkv !== null && pkv !== undefined) {
          const pk = normPk(pkv, pkf.dataType);
          values.set(pkf.fieldId, pk);
          const dts = deletes.get(pkKey(pk));
          if (dts !== undefined && dts > ts) continue;
        }
        rows.push({ rowId: BigInt(rowIds[i] as bigint), ts, values });
      }
    }
    return {
      total: rows.length,
      write: async () => {
        if (pkf.autoID && !allow && rows.length) {
          const first = this.e.alloc.allocRange(rows.length);
          rows.forEach((row, i) => row.values.set(pkf.fieldId, pkf.dataType === 'Int64' ? first + BigInt(i) : (first + BigInt(i)).toString()));
        }
        return this.writeRows(c, r, rows);
      },
    };
  }

  /** binlog/util.go verify(): field ids of the folders against the target schema. */
  private verify(c: CollectionView, storageVersion: number, insertLogs: Map<number, string[]>): Map<number, string[]> {
    if (storageVersion === 2) {
      // Storage v2 dirs are column groups: group 0 carries the system fields (and the scalars), vector fields have
      // their own groups; other fields may live inside group 0, so only vectors are checked by dir.
      if (!insertLogs.has(0)) throw new ImportFailure(importFailed('no binlog for system fields'));
      const rowIdCount = insertLogs.get(0)!.length;
      for (const [fid, logs] of insertLogs)
        if (logs.length !== rowIdCount) throw new ImportFailure(importFailed(`misaligned binlog count, field${fid}:${logs.length}, field0:${rowIdCount}`));
      for (const f of c.fields)
        if (/Vector$/.test(f.dataType) && !insertLogs.has(f.fieldId)) throw new ImportFailure(importFailed(`no binlog for field:${f.name}`));
      return insertLogs;
    } else {
      if (!insertLogs.has(0)) throw new ImportFailure(importFailed('no binlog for RowID field'));
      if (!insertLogs.has(1)) throw new ImportFailure(importFailed('no binlog for Timestamp field'));
    }
    const rowIdCount = insertLogs.get(0)?.length ?? 0;
    for (const [fid, logs] of insertLogs)
      if (logs.length !== rowIdCount) throw new ImportFailure(importFailed(`misaligned binlog count, field${fid}:${logs.length}, field0:${rowIdCount}`));
    const valid = new Map<number, string[]>();
    for (const sys of [0, 1]) if (insertLogs.has(sys)) valid.set(sys, insertLogs.get(sys)!);
    for (const f of c.fields) {
      const logs = insertLogs.get(f.fieldId);
      if (!logs) {
        if (f.isDynamic || f.nullable || f.defaultValue !== undefined) continue;
        throw new ImportFailure(importFailed(`no binlog for field:${f.name}`));
      }
      valid.set(f.fieldId, logs);
    }
    return valid;
  }

  private async readL0(c: CollectionView, r: ImportJobRecord) {
    if (!multiL0Import(this.e.version) && r.segmentFiles.length !== 1)
      throw new ImportFailure(importFailed(`there should be one prefix for l0 import, but got ${goFiles(r.segmentFiles)}`));
    const { start, end } = parseTimeRange(r.options);
    const pkf = pkField(c);
    const entries: DeleteEntry[] = [];
    for (const f of r.segmentFiles) {
      if (f.length !== 1) throw new ImportFailure(importFailed(`there should be one prefix, but got ${goList(f)}`));
      for (const d of await this.readDeltaLogs(f[0]))
        if (d.ts >= start && d.ts <= end) entries.push({ pk: normPk(d.pk, pkf.dataType), ts: d.ts });
    }
    return {
      total: entries.length,
      write: async () => {
        const byCh = new Map<string, DeleteEntry[]>();
        for (const d of entries) {
          const ch = c.vchannels[hashKey(d.pk) % c.vchannels.length];
          let l = byCh.get(ch);
          if (!l) byCh.set(ch, (l = []));
          l.push(d);
        }
        const col = this.e.coll(c.collectionId);
        const out: Segment[] = [];
        for (const [ch, ds] of byCh) {
          const seg = this.e.newSegment(c, r.partitionId, ch, 'L0', 'Flushing', this.e.allocId());
          seg.meta.importJobId = r.view.jobId;
          seg.deletes = ds;
          col.segments.set(seg.id, seg);
          r.view.segmentIds.push(seg.id);
          await this.e.flushSegments(c, [seg]);
          out.push(seg);
        }
        return out;
      },
    };
  }

  /** New Flushed segments in this instance's bucket: rows hashed by pk to vchannels, order kept, split at the row limit. */
  private async writeRows(c: CollectionView, r: ImportJobRecord, rows: StoredRow[]): Promise<Segment[]> {
    const pkf = pkField(c);
    const byCh = new Map<string, StoredRow[]>();
    for (const row of rows) {
      const ch = c.vchannels[hashKey(row.values.get(pkf.fieldId)) % c.vchannels.length];
      let l = byCh.get(ch);
      if (!l) byCh.set(ch, (l = []));
      l.push(row);
    }
    const col = this.e.coll(c.collectionId);
    const out: Segment[] = [];
    // Import fills segments up to the segment size (datacoord AssignSegments: dataCoord.segment.maxSize), by
    // rows and estimated bytes as a growing segment seals; each segment's binlogs are split by flush.ts.
    for (const [ch, chRows] of byCh) {
      for (let i = 0; i < chRows.length; ) {
        let j = i;
        let bytes = 0;
        while (j < chRows.length && j - i < this.e.maxRows() && (j === i || bytes + rowBytes(chRows[j]) <= this.e.maxBytes())) bytes += rowBytes(chRows[j++]);
        const seg = this.e.newSegment(c, r.partitionId, ch, flushedLevel(this.e.version), 'Flushing', this.e.allocId());
        seg.meta.importJobId = r.view.jobId;
        seg.rows = chRows.slice(i, j);
        i = j;
        col.segments.set(seg.id, seg);
        r.view.segmentIds.push(seg.id);
        await this.e.flushSegments(c, [seg]);
        out.push(seg);
      }
    }
    return out;
  }
}

/**
 * storage.FieldData.AppendRows: the rows a binlog's payload yields must be of the schema field's Go type, else
 * `Wrong rows type` (merr ParameterInvalid; Milvus prints the rows themselves as `actual`, we name their type).
 * Fields 0 and 1 are Int64.
 */
function checkPayloadType(c: CollectionView, fieldId: number, payloadType: string): void {
  const expected = fieldId < 100 ? 'Int64' : c.fields.find((f) => f.fieldId === fieldId)?.dataType;
  if (!expected || expected === payloadType) return;
  const same = (a: string, b: string) => [a, b].every((t) => t === 'VarChar' || t === 'String' || t === 'Text');
  if (same(expected, payloadType)) return;
  throw new ImportFailure(importFailed(`Wrong rows type[expected=${goRowsType(expected)}][actual=${payloadType} rows]: invalid parameter`));
}

/** The Go slice type GetDataFromPayload returns per data type (payload_reader.go). */
function goRowsType(t: string): string {
  const m: Record<string, string> = {
    Bool: '[]bool', Int8: '[]int8', Int16: '[]int16', Int32: '[]int32', Int64: '[]int64', Timestamptz: '[]int64', Float: '[]float32', Double: '[]float64',
    VarChar: '[]string', String: '[]string', Text: '[]string', Array: '[]*schemapb.ScalarField', JSON: '[][]uint8', Geometry: '[][]uint8',
    FloatVector: '[]float32', BinaryVector: '[]uint8', Float16Vector: '[]uint8', BFloat16Vector: '[]uint8', Int8Vector: '[]int8', SparseFloatVector: '*SparseFloatVectorFieldData',
  };
  return m[t] ?? t;
}

/** The estimate a growing segment seals by (engine insertAt): the sum of its values. */
function rowBytes(row: StoredRow): number {
  let n = 0;
  for (const v of row.values.values()) n += approxSize(v);
  return n;
}
