import { parseMeta, stringifyMeta } from './codec';
import { newBackupInfo } from './create';
import * as S from './schema';
import type {
  BackupInfo, CollectionBackupInfo, LevelInfos, PartitionBackupInfo, SegmentBackupInfo,
} from './types';
import { BackupFormat } from './types';

/**
 * The five meta files of a backup (Go `internal/meta/meta.go`) and how the Go tool (v0.5.10+ / main, `core/backup/meta_builder.go`,
 * `internal/meta/meta.go`) fills and reads them.
 */

export const MetaFile = {
  Backup: 'backup_meta.json',
  Collection: 'collection_meta.json',
  Partition: 'partition_meta.json',
  Segment: 'segment_meta.json',
  Full: 'full_meta.json',
} as const;
export type MetaFileName = (typeof MetaFile)[keyof typeof MetaFile];

interface MetaFileContent {
  name: MetaFileName;
  /** Go `json.Marshal` output (compact). */
  text: string;
}

/**
 * The meta files in the order the Go tool writes them: backup, collection, partition, segment, full
 * (the snapshot format has no partition/segment files). `backup_meta.json` is last-but-not-least the
 * completion marker, so writers must write these only after all data is copied.
 */
export function buildMetaFiles(info: BackupInfo): MetaFileContent[] {
  const files: MetaFileContent[] = [
    { name: MetaFile.Backup, text: stringifyMeta(S.BackupInfoDesc, strippedBackupInfo(info)) },
    { name: MetaFile.Collection, text: stringifyMeta(S.CollectionLevelDesc, { infos: collectionLevel(info) }) },
  ];
  if (info.format !== BackupFormat.Snapshot) {
    files.push(
      { name: MetaFile.Partition, text: stringifyMeta(S.PartitionLevelDesc, { infos: partitionLevel(info) }) },
      { name: MetaFile.Segment, text: stringifyMeta(S.SegmentLevelDesc, { infos: segmentLevel(info) }) },
    );
  }
  files.push({ name: MetaFile.Full, text: stringifyMeta(S.BackupInfoDesc, info) });
  return files;
}

/** backup_meta.json (v0.5.10+): only the top-level scalars; state_code is always 0. */
function strippedBackupInfo(info: BackupInfo): BackupInfo {
  return newBackupInfo({
    id: info.id,
    name: info.name,
    format: info.format,
    backupTimestamp: info.backupTimestamp,
    size: info.size,
    milvusVersion: info.milvusVersion,
  });
}

/** collection_meta.json: collections with their partitions (each without segments) and without l0_segments. */
export function collectionLevel(info: BackupInfo): CollectionBackupInfo[] {
  return info.collectionBackups.map((c) => ({
    ...c,
    l0Segments: [],
    partitionBackups: c.partitionBackups.map((p) => ({ ...p, segmentBackups: [] })),
  }));
}

/** partition_meta.json: every partition, without segments. */
function partitionLevel(info: BackupInfo): PartitionBackupInfo[] {
  return info.collectionBackups.flatMap((c) => c.partitionBackups.map((p) => ({ ...p, segmentBackups: [] })));
}

/** segment_meta.json: the partition segments (incl. partition L0); collection-wide L0 lives only in full_meta. */
function segmentLevel(info: BackupInfo): SegmentBackupInfo[] {
  return info.collectionBackups.flatMap((c) => c.partitionBackups.flatMap((p) => p.segmentBackups));
}

interface LevelTexts {
  backup: string | Buffer;
  collection: string | Buffer;
  partition: string | Buffer;
  segment: string | Buffer;
}

/**
 * Rebuilds the tree when full_meta.json is missing, as Go's `levelToTree` does: segments join partitions on
 * (collection_id, partition_id), partitions join collections on collection_id, and every `size` is recomputed
 * as the sum of its children. Collection-wide L0 segments are not in the level files, so they are lost, as in Go.
 */
export function levelToTree(t: LevelTexts): BackupInfo {
  const backup = parseMeta<BackupInfo>(S.BackupInfoDesc, t.backup, MetaFile.Backup);
  const colls = parseMeta<LevelInfos<CollectionBackupInfo>>(S.CollectionLevelDesc, t.collection, MetaFile.Collection);
  const parts = parseMeta<LevelInfos<PartitionBackupInfo>>(S.PartitionLevelDesc, t.partition, MetaFile.Partition);
  const segs = parseMeta<LevelInfos<SegmentBackupInfo>>(S.SegmentLevelDesc, t.segment, MetaFile.Segment);

  const segsByPart = new Map<string, SegmentBackupInfo[]>();
  for (const s of segs.infos) {
    if (!s) continue;
    const k = `${s.collectionId}/${s.partitionId}`;
    const list = segsByPart.get(k);
    if (list) list.push(s);
    else segsByPart.set(k, [s]);
  }
  const partsByColl = new Map<bigint, PartitionBackupInfo[]>();
  for (const p of parts.infos) {
    if (!p) continue;
    p.segmentBackups = segsByPart.get(`${p.collectionId}/${p.partitionId}`) ?? [];
    p.size = p.segmentBackups.reduce((sum, s) => sum + s.size, 0n);
    const list = partsByColl.get(p.collectionId);
    if (list) list.push(p);
    else partsByColl.set(p.collectionId, [p]);
  }
  const collections: CollectionBackupInfo[] = [];
  for (const c of colls.infos) {
    if (!c) continue;
    c.partitionBackups = partsByColl.get(c.collectionId) ?? [];
    c.size = c.partitionBackups.reduce((sum, p) => sum + p.size, 0n);
    collections.push(c);
  }
  backup.collectionBackups = collections;
  backup.size = collections.reduce((sum, c) => sum + c.size, 0n);
  return backup;
}

export function parseBackupInfo(text: string | Buffer, what: string = MetaFile.Full): BackupInfo {
  return parseMeta<BackupInfo>(S.BackupInfoDesc, text, what);
}

export function stringifyBackupInfo(info: BackupInfo): string {
  return stringifyMeta(S.BackupInfoDesc, info);
}
