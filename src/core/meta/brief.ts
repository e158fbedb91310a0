import { newMessage, stringifyMeta } from './codec';
import { BackupInfoBriefDesc, CollectionBackupInfoBriefDesc } from './schema';
import type { BackupInfo, BackupInfoBrief, CollectionBackupInfoBrief } from './types';

/**
 * The Go tool's `BackupInfoBrief` (what `get` prints and REST `get_backup` returns), built from meta read
 * from storage as Go's `pbconv.NewBackupInfoBrief(nil, backup, metaSize)` does: no task, so `id`, the times
 * and `errorMessage` stay empty and `state_code`/`progress` are 0.
 */
export function toBackupInfoBrief(info: BackupInfo, metaSize: bigint): BackupInfoBrief {
  return newMessage<BackupInfoBrief>(BackupInfoBriefDesc, {
    metaSize,
    name: info.name,
    backupTimestamp: info.backupTimestamp,
    collectionBackups: info.collectionBackups.map((c) =>
      newMessage<CollectionBackupInfoBrief>(CollectionBackupInfoBriefDesc, {
        id: c.id,
        collectionId: c.collectionId,
        dbName: c.dbName,
        collectionName: c.collectionName,
        schema: c.schema,
        shardsNum: c.shardsNum,
        backupTimestamp: c.backupTimestamp,
        size: c.size,
        hasIndex: c.hasIndex,
        indexInfos: c.indexInfos,
        loadState: c.loadState,
        backupPhysicalTimestamp: c.backupPhysicalTimestamp,
        channelCheckpoints: c.channelCheckpoints,
        properties: c.properties,
      }),
    ),
    size: info.size,
    milvusVersion: info.milvusVersion,
    rpcChannelInfo: info.rpcChannelInfo,
    databaseBackups: info.databaseBackups,
    format: info.format,
  });
}

/** `json.MarshalIndent(brief, "", "    ")`, as `milvus-backup get` prints it. */
export function stringifyBackupInfoBrief(brief: BackupInfoBrief): string {
  return stringifyMeta(BackupInfoBriefDesc, brief, '    ');
}
