/**
 * Import jobs of one collection (Go `core/restore/coll_task.go` `collTask.notL0SegmentBatches`,
 * `l0SegmentBatches`). Pure: the only outside fact needed is which delta directories exist in the backup,
 * passed in as a predicate.
 *
 *  - Data segments with group ids: grouped by (vchannel, storage version) — one import job must not mix them —
 *    and chunked to `maxSegmentsPerJob`. Each segment contributes its insert dir and, when present, its delta dir.
 *  - Old backups (every group id 0): one pair for the whole partition.
 *  - L0 segments: grouped the same way; several per job only when Milvus ≥ 2.6.5 (`multiL0`).
 *  - `per-segment` mode (gRPC Import, servers too old for merged jobs): one job per directory pair.
 * Order of execution: per partition data then that partition's L0; collection-wide L0 after every partition.
 */
import type { CollectionBackupInfo, PartitionBackupInfo, SegmentBackupInfo } from '../meta/types';
import { deltaLogDir, insertLogDir } from '../layout';

export interface DirPair {
  insertDir?: string;
  deltaDir?: string;
  segmentIds: string[];
  rows: number;
  bytes: number;
}

export interface PlannedJob {
  kind: 'data' | 'l0';
  /** Target partition name ('' = collection-wide L0). */
  partition: string;
  vChannel: string;
  storageVersion: number;
  /** `end_ts` (decimal) when truncating by the channel checkpoint. */
  endTs?: string;
  dirs: DirPair[];
  rows: number;
  bytes: number;
}

export interface PartitionJobs {
  partition: string;
  data: PlannedJob[];
  l0: PlannedJob[];
}

export interface CollectionJobs {
  partitions: PartitionJobs[];
  collectionL0: PlannedJob[];
  jobCount: { data: number; l0: number };
}

export interface BatchOptions {
  backupDir: string;
  maxSegmentsPerJob: number;
  mode: 'merged' | 'per-segment';
  /** Milvus ≥ 2.6.5 takes several L0 segments in one job. */
  multiL0: boolean;
  /** Whether a delta dir exists in the backup (Go checks the prefix in storage). */
  hasDeltaDir: (dir: string) => boolean;
  /** `--truncate_binlog_by_ts`: the vchannel's checkpoint ts; throws when unknown. */
  endTsOf?: (vChannel: string) => string;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Array<[string, T[]]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const l = m.get(k);
    if (l) l.push(it);
    else m.set(k, [it]);
  }
  return [...m.entries()];
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const n = Math.max(1, Math.floor(size));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
  return out;
}

const groupKey = (s: SegmentBackupInfo) => `${s.vChannel}\u0000${s.storageVersion}`;

function jobsFrom(kind: 'data' | 'l0', partition: string, pairs: Array<{ seg: SegmentBackupInfo; pair: DirPair }>, o: BatchOptions, chunkSize: number): PlannedJob[] {
  const jobs: PlannedJob[] = [];
  for (const [, group] of groupBy(pairs, (p) => groupKey(p.seg))) {
    const first = group[0]!.seg;
    const endTs = o.endTsOf ? o.endTsOf(first.vChannel) : undefined;
    const size = o.mode === 'per-segment' ? 1 : chunkSize;
    for (const part of chunk(group, size)) {
      const dirs = part.map((p) => p.pair);
      jobs.push({
        kind,
        partition,
        vChannel: first.vChannel,
        storageVersion: Number(first.storageVersion),
        endTs,
        dirs,
        rows: dirs.reduce((s, d) => s + d.rows, 0),
        bytes: dirs.reduce((s, d) => s + d.bytes, 0),
      });
    }
  }
  return jobs;
}

function dataJobs(c: CollectionBackupInfo, p: PartitionBackupInfo, o: BatchOptions): PlannedJob[] {
  const segs = p.segmentBackups.filter((s) => !s.isL0);
  if (segs.length === 0) return [];
  const withGroupId = segs.some((s) => s.groupId !== 0n);
  if (!withGroupId) {
    if (o.endTsOf) throw new Error('truncate binlog by ts is not supported for a backup without group ids (made by milvus-backup ≤ 0.4.3)');
    const deltaDir = deltaLogDir(o.backupDir, c.collectionId, p.partitionId);
    const pair: DirPair = {
      insertDir: insertLogDir(o.backupDir, c.collectionId, p.partitionId),
      deltaDir: o.hasDeltaDir(deltaDir) ? deltaDir : undefined,
      segmentIds: segs.map((s) => s.segmentId.toString()),
      rows: segs.reduce((n, s) => n + Number(s.numOfRows), 0),
      bytes: Number(p.size),
    };
    return [{ kind: 'data', partition: p.partitionName, vChannel: '', storageVersion: 0, dirs: [pair], rows: pair.rows, bytes: pair.bytes }];
  }
  const pairs = segs.map((seg) => {
    const deltaDir = deltaLogDir(o.backupDir, c.collectionId, seg.partitionId, seg.groupId);
    return {
      seg,
      pair: {
        insertDir: insertLogDir(o.backupDir, c.collectionId, seg.partitionId, seg.groupId),
        deltaDir: o.hasDeltaDir(deltaDir) ? deltaDir : undefined,
        segmentIds: [seg.segmentId.toString()],
        rows: Number(seg.numOfRows),
        bytes: Number(seg.size),
      } satisfies DirPair,
    };
  });
  return jobsFrom('data', p.partitionName, pairs, o, o.maxSegmentsPerJob);
}

function l0Jobs(c: CollectionBackupInfo, partition: string, segs: readonly SegmentBackupInfo[], o: BatchOptions): PlannedJob[] {
  const pairs = segs.map((seg) => ({
    seg,
    pair: {
      deltaDir: deltaLogDir(o.backupDir, c.collectionId, seg.partitionId, seg.segmentId),
      segmentIds: [seg.segmentId.toString()],
      rows: Number(seg.numOfRows),
      bytes: Number(seg.size),
    } satisfies DirPair,
  }));
  return jobsFrom('l0', partition, pairs, o, o.multiL0 ? o.maxSegmentsPerJob : 1);
}

export function collectionJobs(c: CollectionBackupInfo, o: BatchOptions): CollectionJobs {
  const partitions = c.partitionBackups.map((p) => ({
    partition: p.partitionName,
    data: dataJobs(c, p, o),
    l0: l0Jobs(c, p.partitionName, p.segmentBackups.filter((s) => s.isL0), o),
  }));
  const collectionL0 = l0Jobs(c, '', c.l0Segments, o);
  const data = partitions.reduce((n, p) => n + p.data.length, 0);
  const l0 = partitions.reduce((n, p) => n + p.l0.length, 0) + collectionL0.length;
  return { partitions, collectionL0, jobCount: { data, l0 } };
}

/** Import paths of one job: `[[insert, delta?], …]` for data, `[[delta], …]` for L0 (Go `toPaths`). */
export function jobFiles(job: PlannedJob, mapPath: (key: string) => string = (k) => k): string[][] {
  return job.dirs.map((d) => {
    const files: string[] = [];
    if (d.insertDir) files.push(mapPath(d.insertDir));
    if (d.deltaDir) files.push(mapPath(d.deltaDir));
    return files;
  });
}

/** gRPC Import `files` of one pair: `[insert, delta|""]`, or `[delta]` for L0 (Go `toGrpcPaths`). */
export function grpcFiles(d: DirPair, mapPath: (key: string) => string = (k) => k): string[] {
  if (!d.insertDir) return [mapPath(d.deltaDir ?? '')];
  return [mapPath(d.insertDir), d.deltaDir ? mapPath(d.deltaDir) : ''];
}

/** Import options, as Go sends them (`skip_disk_quota_check`, `end_ts`, `backup`/`l0_import`, `storage_version`, `ezk`). */
export function importOptions(job: PlannedJob, ezk?: string): Array<{ key: string; value: string }> {
  const opts = [{ key: 'skip_disk_quota_check', value: 'true' }];
  if (job.endTs && job.endTs !== '0') opts.push({ key: 'end_ts', value: job.endTs });
  opts.push(job.kind === 'l0' ? { key: 'l0_import', value: 'true' } : { key: 'backup', value: 'true' });
  if (job.storageVersion > 0) opts.push({ key: 'storage_version', value: String(job.storageVersion) });
  if (ezk) opts.push({ key: 'ezk', value: ezk });
  return opts;
}
