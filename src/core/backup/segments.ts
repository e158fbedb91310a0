import { UserError } from '../errors';
import type { MilvusGateway, RestSegmentInfo, SegmentInfoRow } from '../milvus/gateway';
import { newBinlog, newFieldBinlog, newSegmentBackupInfo } from '../meta/create';
import type { Binlog, FieldBinlog, SegmentBackupInfo } from '../meta/types';
import { big } from './ddl';
import { groupIdOf, milvusDeltaLogDir, milvusInsertLogDir, parseDeltaLogKey, parseInsertLogKey, type Location } from '../layout';

/**
 * Segment discovery for one collection (Go `core/backup/coll_dml_task.go`): GetPersistentSegmentInfo, then the
 * binlog list of each segment — from REST `segments/describe` when the server has it (≥ 2.5.8; sizes still
 * come from one listing of the segment's dirs, and a log the REST answer names but the bucket lacks is an
 * error), else by listing the segment's `insert_log`/`delta_log` dirs in the Milvus bucket.
 *
 * Checks kept from Go: fields with different file counts (orphaned binlogs of DataNode retries) and a non-L0
 * segment without insert logs fail. Added: when a collection's segments report rows but nothing at all is
 * found in the bucket, the error names the bucket and root path, the usual cause (Go issues #162/#190/#282).
 */

interface DiscoverOptions {
  gw: MilvusGateway;
  src: Location;
  db: string;
  collection: string;
  collectionId: bigint;
  /** try REST segments/describe first */
  useRest: boolean;
  signal?: AbortSignal;
  warn: (message: string) => void;
  /** Shared across collections: once REST failed, later collections go straight to listing. */
  restState?: { failed: boolean };
}

/** One source object of a segment with its size and ETag (when the store gives one). */
interface SourceObject {
  key: string;
  size: number;
  etag?: string;
}

interface DiscoveredSegment {
  info: SegmentBackupInfo;
  /** Every source object of the segment, by key (sizes as listed). */
  objects: Map<string, SourceObject>;
  /** Logs the REST answer named that the bucket does not hold (checkSegments turns them into an error). */
  missingKeys: string[];
}

/** Raised for problems with what Milvus stored (not transient): the message says what to check. */
class SegmentDataError extends UserError {
  constructor(message: string) {
    super(message, 'segment-data');
  }
}

/** Lists a segment dir; `segmentByListing`/`segmentFromRest` take one so a collection can be listed once. */
type DirLister = (prefix: string, signal?: AbortSignal) => Promise<SourceObject[]>;

export function directLister(src: Location): DirLister {
  return async (prefix, signal) => {
    const out: SourceObject[] = [];
    for await (const e of src.store.list(src.bucket, prefix, { recursive: true, signal })) {
      if (e.type === 'object') out.push({ key: e.key, size: e.size, etag: e.etag });
    }
    return out;
  };
}

/**
 * One recursive listing of `<root>/insert_log/<coll>/` and `<root>/delta_log/<coll>/`, grouped by segment dir
 * (`…/<part>/<seg>/`): the same objects the per-segment listings of the Go tool see, in a few paged requests
 * instead of two requests per segment (thousands for a large collection).
 */
export async function collectionLister(src: Location, coll: bigint, signal?: AbortSignal): Promise<DirLister> {
  const groups = new Map<string, SourceObject[]>();
  for (const kind of ['insert_log', 'delta_log']) {
    const base = kind === 'insert_log' ? milvusInsertLogDir(src.rootPath, coll, 0n, 0n) : milvusDeltaLogDir(src.rootPath, coll, 0n, 0n);
    const collPrefix = base.slice(0, base.length - '0/0/'.length);
    for await (const e of src.store.list(src.bucket, collPrefix, { recursive: true, signal })) {
      if (e.type !== 'object') continue;
      const parts = e.key.slice(collPrefix.length).split('/');
      if (parts.length < 3) continue; // not inside a segment dir: no per-segment listing would see it either
      const dir = `${collPrefix}${parts[0]}/${parts[1]}/`;
      const list = groups.get(dir) ?? [];
      list.push({ key: e.key, size: e.size, etag: e.etag });
      groups.set(dir, list);
    }
  }
  return async (prefix) => groups.get(prefix) ?? [];
}

const isL0 = (s: SegmentInfoRow | RestSegmentInfo) => s.level === 'L0' || s.level === '1';

function newSeg(row: SegmentInfoRow, binlogs: FieldBinlog[], deltalogs: FieldBinlog[], size: bigint, vChannel = ''): SegmentBackupInfo {
  const part = big(row.partitionId);
  const seg = big(row.segmentId);
  return newSegmentBackupInfo({
    segmentId: seg,
    collectionId: big(row.collectionId),
    partitionId: part,
    numOfRows: BigInt(row.numRows),
    storageVersion: BigInt(row.storageVersion),
    groupId: groupIdOf(part, seg),
    isL0: isL0(row),
    binlogs,
    deltalogs,
    size,
    vChannel,
  });
}

const sum = (xs: SourceObject[]) => xs.reduce((a, o) => a + BigInt(o.size), 0n);
const cmpBig = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

/** List mode (Go `getSegmentInfoByListFile`). */
export async function segmentByListing(
  src: Location, row: SegmentInfoRow, signal?: AbortSignal, list: DirLister = directLister(src),
): Promise<DiscoveredSegment> {
  const coll = big(row.collectionId);
  const part = big(row.partitionId);
  const segId = big(row.segmentId);
  const inserts = await list(milvusInsertLogDir(src.rootPath, coll, part, segId), signal);
  const deltas = await list(milvusDeltaLogDir(src.rootPath, coll, part, segId), signal);

  const byField = new Map<bigint, Binlog[]>();
  for (const o of inserts) {
    let p;
    try {
      p = parseInsertLogKey(o.key);
    } catch (e) {
      throw new SegmentDataError(`segment ${segId}: unexpected object in the insert log dir: ${(e as Error).message}`);
    }
    const list = byField.get(p.fieldId) ?? [];
    list.push(newBinlog({ logId: p.logId, logSize: BigInt(o.size), logPath: o.key }));
    byField.set(p.fieldId, list);
  }
  const fields = [...byField.keys()].sort(cmpBig);
  const binlogs: FieldBinlog[] = [];
  let count = -1;
  for (const f of fields) {
    const logs = byField.get(f)!.sort((a, b) => cmpBig(a.logId, b.logId));
    if (count === -1) count = logs.length;
    else if (count !== logs.length) {
      throw new SegmentDataError(
        `segment ${segId} of collection ${coll}: field ${f} has ${logs.length} binlog files but another field has ${count} ` +
          '(orphaned binlogs, usually left by DataNode retries); the Go tool refuses such a segment too — compact the collection and retry',
      );
    }
    binlogs.push(newFieldBinlog({ fieldID: f, binlogs: logs }));
  }
  const deltaLogs: Binlog[] = [];
  for (const o of deltas) {
    let p;
    try {
      p = parseDeltaLogKey(o.key);
    } catch (e) {
      throw new SegmentDataError(`segment ${segId}: unexpected object in the delta log dir: ${(e as Error).message}`);
    }
    deltaLogs.push(newBinlog({ logId: p.logId, logSize: BigInt(o.size), logPath: o.key }));
  }
  deltaLogs.sort((a, b) => cmpBig(a.logId, b.logId));
  // Go always writes one delta FieldBinlog (without field id) in list mode, even when it is empty.
  const deltalogs = [newFieldBinlog({ binlogs: deltaLogs })];
  const objects = new Map<string, SourceObject>();
  for (const o of [...inserts, ...deltas]) objects.set(o.key, o);
  return { info: newSeg(row, binlogs, deltalogs, sum(inserts) + sum(deltas)), objects, missingKeys: [] };
}

/** API mode (Go `getSegmentInfoByAPI`): the REST answer names the logs; one listing gives their sizes. */
async function segmentFromRest(
  src: Location, row: SegmentInfoRow, rest: RestSegmentInfo, signal?: AbortSignal, list: DirLister = directLister(src),
): Promise<DiscoveredSegment> {
  const coll = big(row.collectionId);
  const part = big(row.partitionId);
  const segId = big(row.segmentId);
  const insertDir = milvusInsertLogDir(src.rootPath, coll, part, segId);
  const deltaDir = milvusDeltaLogDir(src.rootPath, coll, part, segId);
  const inserts = await list(insertDir, signal);
  const deltas = await list(deltaDir, signal);
  const objects = new Map<string, SourceObject>();
  const listed = new Map<string, SourceObject>();
  for (const o of [...inserts, ...deltas]) listed.set(o.key, o);
  const missingKeys: string[] = [];
  // A log Milvus names but the bucket lacks is an error (Go: "log … not exist"); it is collected here so that
  // checkSegments can tell "wrong bucket/rootPath" (nothing at all found) from a single lost file.
  const logs = (dir: string, f: { fieldId: string; logIds: string[] }, withField: boolean) =>
    newFieldBinlog({
      fieldID: big(f.fieldId),
      binlogs: f.logIds.flatMap((id) => {
        const key = withField ? `${dir}${f.fieldId}/${id}` : `${dir}${id}`;
        const o = listed.get(key);
        if (!o) {
          missingKeys.push(key);
          return [];
        }
        objects.set(key, o);
        return [newBinlog({ logId: big(id), logSize: BigInt(o.size), logPath: key })];
      }),
    });
  const binlogs = rest.insertLogs.map((f) => logs(insertDir, f, true));
  const deltalogs = rest.deltaLogs.map((f) => logs(deltaDir, f, false));
  // Go sums the sizes of everything listed under the dirs (not only the named logs); same here.
  return { info: newSeg(row, binlogs, deltalogs, sum(inserts) + sum(deltas), rest.vChannel), objects, missingKeys };
}

/** Segment ids per REST segments/describe request. */
const REST_BATCH = 256;

/** Above this many segments, one collection-wide listing replaces the per-segment ones. */
const COLLECTION_LISTING_FROM = 4;

/**
 * All segments of a collection. REST is tried once per collection with every segment id; a failure is a
 * warning and the whole collection is listed instead (Go falls back segment by segment).
 */
export async function discoverSegments(o: DiscoverOptions, rows: SegmentInfoRow[]): Promise<DiscoveredSegment[]> {
  let restById: Map<string, RestSegmentInfo> | undefined;
  if (o.useRest && !o.restState?.failed && rows.length > 0) {
    try {
      restById = new Map();
      // bounded requests: a collection can have thousands of segments
      for (let i = 0; i < rows.length; i += REST_BATCH) {
        const ids = rows.slice(i, i + REST_BATCH).map((r) => r.segmentId);
        for (const info of await o.gw.describeSegments(o.db, String(o.collectionId), ids, o.signal)) restById.set(String(info.segmentId), info);
      }
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      if (o.restState) o.restState.failed = true;
      o.warn(
        `REST segments/describe failed (${(e as Error).message}); listing binlogs instead — check that Milvus's REST API is reachable at the gRPC address`,
      );
    }
  }
  // A handful of segments: list each (as Go does); more: list the collection once.
  const list = rows.length > COLLECTION_LISTING_FROM ? await collectionLister(o.src, o.collectionId, o.signal) : directLister(o.src);
  const out: DiscoveredSegment[] = [];
  for (const row of rows) {
    const rest = restById?.get(String(row.segmentId));
    out.push(rest ? await segmentFromRest(o.src, row, rest, o.signal, list) : await segmentByListing(o.src, row, o.signal, list));
  }
  return out;
}

/**
 * Go's per-segment check plus ours for the whole collection: rows reported, no binlog found anywhere ⇒ the
 * backup is looking in the wrong place.
 */
export function checkSegments(
  segs: DiscoveredSegment[],
  where: {
    db: string; collection: string; bucket: string; rootPath: string;
    /** whether anything exists under `<root>/insert_log/<collection id>/` (tells GC races from a wrong root) */
    collectionHasFiles?: boolean;
  },
): void {
  const withRows = segs.filter((s) => !s.info.isL0 && s.info.numOfRows > 0n);
  const noInsert = segs.filter((s) => !s.info.isL0 && s.info.binlogs.every((f) => f.binlogs.length === 0));
  const root = where.rootPath === '' ? '(bucket top)' : `"${where.rootPath}"`;
  if (withRows.length > 0 && noInsert.length > 0 && noInsert.length === segs.filter((s) => !s.info.isL0).length) {
    const rows = withRows.reduce((a, s) => a + s.info.numOfRows, 0n);
    if (where.collectionHasFiles) {
      throw new SegmentDataError(
        `collection ${where.db}.${where.collection}: the binlogs of the ${withRows.length} segment(s) Milvus listed are gone from bucket ` +
          `"${where.bucket}" although the collection has other files there — they were removed while the backup ran (a compaction ` +
          'followed by garbage collection): enable backup.pauseGC (v1: backup.gcPause.enable) and retry',
      );
    }
    throw new SegmentDataError(
      `collection ${where.db}.${where.collection} has ${rows} rows in ${withRows.length} segment(s) but no binlog files were found ` +
        `in bucket "${where.bucket}" under root path ${root}: the Milvus storage settings (milvus.storage.bucketName / rootPath ` +
        'in backup.yaml, minio.bucketName / minio.rootPath in v1) probably do not match the ones Milvus writes to',
    );
  }
  const lost = segs.find((s) => s.missingKeys.length > 0);
  if (lost) {
    throw new SegmentDataError(
      `segment ${lost.info.segmentId} of collection ${where.db}.${where.collection}: Milvus lists binlog "${lost.missingKeys[0]}" ` +
        `but bucket "${where.bucket}" does not hold it (${lost.missingKeys.length} missing; wrong bucket or rootPath, ` +
        'or GC removed it after a compaction: enable backup.pauseGC)',
    );
  }
  if (noInsert.length === 0) return;
  const s = noInsert[0]!.info;
  throw new SegmentDataError(
    `segment ${s.segmentId} of collection ${where.db}.${where.collection} has no insert logs in bucket "${where.bucket}" under ` +
      `root path ${root} (wrong bucket or rootPath, or the segment was compacted and collected meanwhile: enable backup.pauseGC)`,
  );
}
