import type { CollectionBackupInfo, PartitionBackupInfo, SegmentBackupInfo } from './types';

/**
 * Facts derived from a backup's meta, counted one way for every view (the create summary, the CLI, the restore
 * preview, the explorer tree and the details page).
 *
 * - `segments` counts every segment the backup holds: data segments, the L0 segments of each partition, and the
 *   collection-wide L0 segments (partition −1, `CollectionBackupInfo.l0Segments`).
 * - `rows` are the inserted rows of the data segments. An L0 segment holds only delta logs and its `num_rows`
 *   counts delete entries (as Milvus reports it; see test/milvus-sim/data/README.md, Deletes), so it is not a row.
 *   Deletes are not subtracted: the meta has the rows Milvus reported per segment (GetPersistentSegmentInfo).
 */
export interface SegmentCounts {
  segments: number;
  l0Segments: number;
  rows: bigint;
}

export interface CollectionCounts extends SegmentCounts {
  partitions: number;
  /** bytes of data (the meta's `size`) */
  bytes: bigint;
}

/** Counts of a list of segments (an L0 segment is counted as a segment, its `num_rows` not as rows). */
export function segmentCounts(segments: readonly SegmentBackupInfo[]): SegmentCounts {
  let rows = 0n;
  let l0 = 0;
  for (const s of segments) {
    if (s.isL0) l0++;
    else rows += s.numOfRows;
  }
  return { segments: segments.length, l0Segments: l0, rows };
}

export function partitionCounts(p: PartitionBackupInfo): SegmentCounts {
  return segmentCounts(p.segmentBackups);
}

export function collectionCounts(c: CollectionBackupInfo): CollectionCounts {
  const all = [...c.partitionBackups.flatMap((p) => p.segmentBackups), ...(c.l0Segments ?? [])];
  return { ...segmentCounts(all), partitions: c.partitionBackups.length, bytes: c.size };
}

/** The database a backed-up collection or database is in: old backups (before databases) leave `db_name` empty for `default`. */
export function backupDbName(x: { dbName: string }): string {
  return x.dbName || 'default';
}

/** `db.collection` for people (see backupDbName). */
export function qualifiedName(c: Pick<CollectionBackupInfo, 'dbName' | 'collectionName'>): string {
  return `${backupDbName(c)}.${c.collectionName}`;
}
