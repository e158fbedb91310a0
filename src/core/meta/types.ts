/**
 * The backup meta model: the messages of the Go tool's `core/proto/backup.proto` as they are
 * stored in `meta/*.json`. Property names are the lowerCamel form of the JSON names (`collection_id` →
 * `collectionId`, `fieldID` stays `fieldID`); the codec (`codec.ts`) maps them back.
 *
 * Every int64/uint64 is a `bigint`: ids are ~4.5e17 and hybrid timestamps ~4.6e17, beyond 2^53.
 * int32 values and enums are `number`. Decoded objects always carry every scalar/list/map field (Go's zero
 * value when the JSON omitted it); nested messages are `undefined` when absent (Go's nil pointer).
 * Build new objects with the `new*` helpers in `create.ts` so the zero values are filled in.
 */

/** `load_state` strings (v0.4 also declared `NotExist`). */
export const LoadState = { NotLoad: 'NotLoad', Loading: 'Loading', Loaded: 'Loaded' } as const;

/** `BackupInfo.format`: binlog is the empty string (every backup written before the field existed). */
export const BackupFormat = { Binlog: '', Snapshot: 'snapshot' } as const;

/** A Go `map[string]string`; written with keys sorted, like Go. */
export type StringMap = Record<string, string>;

export interface KeyValuePair {
  key: string;
  value: string;
}

export interface Binlog {
  /** deprecated */
  entriesNum: bigint;
  /** deprecated */
  timestampFrom: bigint;
  /** deprecated */
  timestampTo: bigint;
  /** The source key in the Milvus bucket (not the backup key). */
  logPath: string;
  /** Always written, even 0. */
  logSize: bigint;
  logId: bigint;
}

export interface FieldBinlog {
  /** Insert logs: the field (or column-group) id; delta logs: 0 in list mode. */
  fieldID: bigint;
  binlogs: Binlog[];
}

export interface SegmentBackupInfo {
  segmentId: bigint;
  collectionId: bigint;
  /** −1 for collection-wide L0 segments. */
  partitionId: bigint;
  numOfRows: bigint;
  binlogs: FieldBinlog[];
  /** deprecated, never filled */
  statslogs: FieldBinlog[];
  deltalogs: FieldBinlog[];
  /** insert + delta bytes; always written */
  size: bigint;
  /** = segmentId for partition segments, 0 for partition −1 */
  groupId: bigint;
  /** deprecated */
  backuped: boolean;
  isL0: boolean;
  vChannel: string;
  storageVersion: bigint;
}

export interface PartitionBackupInfo {
  partitionId: bigint;
  partitionName: string;
  collectionId: bigint;
  segmentBackups: SegmentBackupInfo[];
  /** always written */
  size: bigint;
  loadState: string;
}

export interface FieldSchema {
  fieldID: bigint;
  name: string;
  isPrimaryKey: boolean;
  description: string;
  dataType: number;
  typeParams: KeyValuePair[];
  indexParams: KeyValuePair[];
  autoID: boolean;
  state: number;
  elementType: number;
  /** Go's ValueField struct; never written by v0.5. Kept verbatim (parsed lossless JSON) when present. */
  defaultValue?: unknown;
  isDynamic: boolean;
  isPartitionKey: boolean;
  nullable: boolean;
  /** v0.4: raw proto bytes in a JSON string (lossy). */
  defaultValueProto: string;
  isFunctionOutput: boolean;
  /** v0.5.5+: base64 of the proto-serialized `schemapb.ValueField`. */
  defaultValueBase64: string;
}

export interface FunctionSchema {
  name: string;
  id: bigint;
  description: string;
  type: number;
  inputFieldNames: string[];
  inputFieldIds: bigint[];
  outputFieldNames: string[];
  outputFieldIds: bigint[];
  params: KeyValuePair[];
}

export interface StructArrayFieldSchema {
  fieldID: bigint;
  name: string;
  description: string;
  fields: FieldSchema[];
}

export interface CollectionSchema {
  name: string;
  description: string;
  /** deprecated */
  autoID: boolean;
  fields: FieldSchema[];
  enableDynamicField: boolean;
  properties: KeyValuePair[];
  functions: FunctionSchema[];
  structArrayFields: StructArrayFieldSchema[];
}

export interface IndexInfo {
  fieldName: string;
  indexName: string;
  indexType: string;
  /** every DescribeIndex param (`index_type`, `metric_type`, `params` JSON string, …) */
  params: StringMap;
  indexId: bigint;
  // etcd extras (--backup_index_extra)
  fieldId: bigint;
  createTime: bigint;
  typeParams: KeyValuePair[];
  indexParams: KeyValuePair[];
  userIndexParams: KeyValuePair[];
  isAutoIndex: boolean;
  minIndexVersion: number;
  maxIndexVersion: number;
}

export interface SnapshotBackupInfo {
  metadataPath: string;
  totalFiles: bigint;
  totalBytes: bigint;
}

export interface CollectionBackupInfo {
  /** task id */
  id: string;
  collectionId: bigint;
  dbName: string;
  collectionName: string;
  schema?: CollectionSchema;
  shardsNum: number;
  consistencyLevel: number;
  partitionBackups: PartitionBackupInfo[];
  backupTimestamp: bigint;
  /** always written */
  size: bigint;
  /** always written */
  hasIndex: boolean;
  indexInfos: IndexInfo[];
  loadState: string;
  backupPhysicalTimestamp: bigint;
  /** vchannel → base64(msgpb.MsgPosition) */
  channelCheckpoints: StringMap;
  /** collection-wide (partition −1) L0 segments; only in full_meta.json */
  l0Segments: SegmentBackupInfo[];
  properties: KeyValuePair[];
  dbId: bigint;
  createdTimestamp: bigint;
  virtualChannelNames: string[];
  physicalChannelNames: string[];
  aliases: string[];
  snapshotBackup?: SnapshotBackupInfo;
}

export interface RPCChannelInfo {
  name: string;
  position: string;
}

export interface DatabaseBackupInfo {
  dbName: string;
  dbId: bigint;
  properties: KeyValuePair[];
  /** encryption-zone key */
  ezk: string;
}

export interface RoleEntity { name: string }
export interface UserEntity { name: string }
export interface ObjectEntity { name: string }
export interface PrivilegeEntity { name: string }

export interface GrantorEntity {
  user?: UserEntity;
  privilege?: PrivilegeEntity;
}

export interface GrantEntity {
  role?: RoleEntity;
  object?: ObjectEntity;
  objectName: string;
  grantor?: GrantorEntity;
  dbName: string;
}

export interface PrivilegeGroupInfo {
  groupName: string;
  privileges: PrivilegeEntity[];
}

export interface UserInfo {
  user: string;
  password: string;
  roles: RoleEntity[];
}

export interface RBACMeta {
  users: UserInfo[];
  roles: RoleEntity[];
  grants: GrantEntity[];
  privilegeGroups: PrivilegeGroupInfo[];
}

/** The root of a backup: `backup_meta.json` (stripped) and `full_meta.json` (complete tree). */
export interface BackupInfo {
  /** task id / request id */
  id: string;
  /** deprecated; always written (0 since v0.5) */
  stateCode: number;
  name: string;
  backupTimestamp: bigint;
  collectionBackups: CollectionBackupInfo[];
  /** sum of copied bytes; always written */
  size: bigint;
  milvusVersion: string;
  rbacMeta?: RBACMeta;
  rpcChannelInfo?: RPCChannelInfo;
  databaseBackups: DatabaseBackupInfo[];
  /** pchannel → base64(ImmutableMessage) (FlushAll path) */
  flushAllMsgsBase64: StringMap;
  controlChannelName: string;
  physicalChannelNames: string[];
  /** '' binlog, 'snapshot' (main) */
  format: string;
}

/** `collection_meta.json` / `partition_meta.json` / `segment_meta.json`: `{ "infos": [...] }`. */
export interface LevelInfos<T> {
  infos: T[];
}

/** What `get` prints (Go `BackupInfoBrief`, `core/server/get_backup.go`). */
export interface CollectionBackupInfoBrief {
  id: string;
  collectionId: bigint;
  dbName: string;
  collectionName: string;
  schema?: CollectionSchema;
  shardsNum: number;
  backupTimestamp: bigint;
  size: bigint;
  hasIndex: boolean;
  indexInfos: IndexInfo[];
  loadState: string;
  backupPhysicalTimestamp: bigint;
  channelCheckpoints: StringMap;
  properties: KeyValuePair[];
}

export interface BackupInfoBrief {
  id: string;
  stateCode: number;
  errorMessage: string;
  startTime: bigint;
  endTime: bigint;
  progress: number;
  name: string;
  backupTimestamp: bigint;
  collectionBackups: CollectionBackupInfoBrief[];
  size: bigint;
  milvusVersion: string;
  rpcChannelInfo?: RPCChannelInfo;
  databaseBackups: DatabaseBackupInfo[];
  /** sum of the sizes of the objects under `meta/` */
  metaSize: bigint;
  format: string;
}
