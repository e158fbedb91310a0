/** Backup meta builders for the restore unit tests. */
import {
  newBackupInfo, newCollectionBackupInfo, newCollectionSchema, newDatabaseBackupInfo, newFieldSchema,
  newPartitionBackupInfo, newSegmentBackupInfo,
} from '../../../src/core/meta';
import type { BackupInfo, CollectionBackupInfo, SegmentBackupInfo } from '../../../src/core/meta/types';

let nextId = 449834567890123000n;
export const id = () => nextId++;

export function seg(p: Partial<SegmentBackupInfo> & { rows?: number } = {}): SegmentBackupInfo {
  const segmentId = p.segmentId ?? id();
  return newSegmentBackupInfo({
    segmentId,
    groupId: p.partitionId === -1n ? 0n : segmentId,
    numOfRows: BigInt(p.rows ?? 10),
    size: 100n,
    vChannel: 'by-dev-rootcoord-dml_0_1v0',
    ...p,
  });
}

export function coll(db: string, name: string, parts: Array<{ name: string; segs: SegmentBackupInfo[] }> = [{ name: '_default', segs: [seg()] }], extra: Partial<CollectionBackupInfo> = {}): CollectionBackupInfo {
  const collectionId = id();
  return newCollectionBackupInfo({
    collectionId,
    dbName: db,
    collectionName: name,
    shardsNum: 1,
    schema: newCollectionSchema({
      name,
      fields: [
        newFieldSchema({ fieldID: 100n, name: 'pk', dataType: 5, isPrimaryKey: true }),
        newFieldSchema({ fieldID: 101n, name: 'vec', dataType: 101, typeParams: [{ key: 'dim', value: '4' }] }),
      ],
    }),
    partitionBackups: parts.map((p) => {
      const partitionId = id();
      return newPartitionBackupInfo({
        partitionId,
        partitionName: p.name,
        collectionId,
        segmentBackups: p.segs.map((s) => ({ ...s, collectionId, partitionId, groupId: s.groupId === 0n ? 0n : s.segmentId })),
      });
    }),
    ...extra,
  });
}

export function backup(colls: CollectionBackupInfo[], dbs: string[] = [...new Set(colls.map((c) => c.dbName))]): BackupInfo {
  return newBackupInfo({
    name: 'b1',
    milvusVersion: 'v2.5.4',
    collectionBackups: colls,
    databaseBackups: dbs.map((d) => newDatabaseBackupInfo({ dbName: d })),
  });
}
