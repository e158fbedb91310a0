/**
 * Field tables of the backup meta messages: for each message, its fields in the order the Go struct in
 * `core/proto/backuppb/backup.pb.go` declares them (that is the order `encoding/json` writes them), with the
 * JSON name from the `json:"…"` tag, the value kind, and whether the tag lacks `omitempty` (`always`).
 * The model property name is the lowerCamel form of the JSON name (see `modelKey`).
 */

export type Kind =
  | 'string'
  | 'bool'
  /** int32 and enums: a JS number */
  | 'int32'
  /** int64: a bigint in [-2^63, 2^63) */
  | 'int64'
  /** uint64 (timestamps): a bigint in [0, 2^64) */
  | 'uint64'
  /** map<string,string> */
  | 'map'
  /** kept verbatim as read (Go's ValueField oneof: never written by v0.5) */
  | 'raw'
  | { msg: () => MessageDesc }
  | { list: 'string' | 'int64' | { msg: () => MessageDesc } };

export interface FieldDesc {
  json: string;
  key: string;
  kind: Kind;
  always: boolean;
}

export interface MessageDesc {
  name: string;
  fields: FieldDesc[];
}

/** `collection_id` → `collectionId`, `is_l0` → `isL0`, `fieldID` → `fieldID`. */
function modelKey(json: string): string {
  return json.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function f(json: string, kind: Kind, always = false): FieldDesc {
  return { json, key: modelKey(json), kind, always };
}
const msg = (m: () => MessageDesc): Kind => ({ msg: m });
const list = (of: 'string' | 'int64' | (() => MessageDesc)): Kind =>
  ({ list: typeof of === 'function' ? { msg: of } : of });

function message(name: string, fields: FieldDesc[]): MessageDesc {
  return { name, fields };
}

const KeyValuePairDesc: MessageDesc = message('KeyValuePair', [f('key', 'string'), f('value', 'string')]);
const kvs = list(() => KeyValuePairDesc);

export const BinlogDesc = message('Binlog', [
  f('entries_num', 'int64'),
  f('timestamp_from', 'uint64'),
  f('timestamp_to', 'uint64'),
  f('log_path', 'string'),
  f('log_size', 'int64', true),
  f('log_id', 'int64'),
]);

export const FieldBinlogDesc = message('FieldBinlog', [f('fieldID', 'int64'), f('binlogs', list(() => BinlogDesc))]);

export const SegmentBackupInfoDesc = message('SegmentBackupInfo', [
  f('segment_id', 'int64'),
  f('collection_id', 'int64'),
  f('partition_id', 'int64'),
  f('num_of_rows', 'int64'),
  f('binlogs', list(() => FieldBinlogDesc)),
  f('statslogs', list(() => FieldBinlogDesc)),
  f('deltalogs', list(() => FieldBinlogDesc)),
  f('size', 'int64', true),
  f('group_id', 'int64'),
  f('backuped', 'bool'),
  f('is_l0', 'bool'),
  f('v_channel', 'string'),
  f('storage_version', 'int64'),
]);

export const PartitionBackupInfoDesc = message('PartitionBackupInfo', [
  f('partition_id', 'int64'),
  f('partition_name', 'string'),
  f('collection_id', 'int64'),
  f('segment_backups', list(() => SegmentBackupInfoDesc)),
  f('size', 'int64', true),
  f('load_state', 'string'),
]);

export const FieldSchemaDesc: MessageDesc = message('FieldSchema', [
  f('fieldID', 'int64'),
  f('name', 'string'),
  f('is_primary_key', 'bool'),
  f('description', 'string'),
  f('data_type', 'int32'),
  f('type_params', kvs),
  f('index_params', kvs),
  f('autoID', 'bool'),
  f('state', 'int32'),
  f('element_type', 'int32'),
  f('default_value', 'raw'),
  f('is_dynamic', 'bool'),
  f('is_partition_key', 'bool'),
  f('nullable', 'bool'),
  f('default_value_proto', 'string'),
  f('is_function_output', 'bool'),
  f('default_value_base64', 'string'),
]);

export const FunctionSchemaDesc = message('FunctionSchema', [
  f('name', 'string'),
  f('id', 'int64'),
  f('description', 'string'),
  f('type', 'int32'),
  f('input_field_names', list('string')),
  f('input_field_ids', list('int64')),
  f('output_field_names', list('string')),
  f('output_field_ids', list('int64')),
  f('params', kvs),
]);

export const StructArrayFieldSchemaDesc = message('StructArrayFieldSchema', [
  f('fieldID', 'int64'),
  f('name', 'string'),
  f('description', 'string'),
  f('fields', list(() => FieldSchemaDesc)),
]);

export const CollectionSchemaDesc = message('CollectionSchema', [
  f('name', 'string'),
  f('description', 'string'),
  f('autoID', 'bool'),
  f('fields', list(() => FieldSchemaDesc)),
  f('enable_dynamic_field', 'bool'),
  f('properties', kvs),
  f('functions', list(() => FunctionSchemaDesc)),
  f('struct_array_fields', list(() => StructArrayFieldSchemaDesc)),
]);

export const IndexInfoDesc = message('IndexInfo', [
  f('field_name', 'string'),
  f('index_name', 'string'),
  f('index_type', 'string'),
  f('params', 'map'),
  f('index_id', 'int64'),
  f('field_id', 'int64'),
  f('create_time', 'uint64'),
  f('type_params', kvs),
  f('index_params', kvs),
  f('user_index_params', kvs),
  f('is_auto_index', 'bool'),
  f('min_index_version', 'int32'),
  f('max_index_version', 'int32'),
]);

export const SnapshotBackupInfoDesc = message('SnapshotBackupInfo', [
  f('metadata_path', 'string'),
  f('total_files', 'int64'),
  f('total_bytes', 'int64'),
]);

export const CollectionBackupInfoDesc = message('CollectionBackupInfo', [
  f('id', 'string'),
  f('collection_id', 'int64'),
  f('db_name', 'string'),
  f('collection_name', 'string'),
  f('schema', msg(() => CollectionSchemaDesc)),
  f('shards_num', 'int32'),
  f('consistency_level', 'int32'),
  f('partition_backups', list(() => PartitionBackupInfoDesc)),
  f('backup_timestamp', 'uint64'),
  f('size', 'int64', true),
  f('has_index', 'bool', true),
  f('index_infos', list(() => IndexInfoDesc)),
  f('load_state', 'string'),
  f('backup_physical_timestamp', 'uint64'),
  f('channel_checkpoints', 'map'),
  f('l0_segments', list(() => SegmentBackupInfoDesc)),
  f('properties', kvs),
  f('db_id', 'int64'),
  f('created_timestamp', 'uint64'),
  f('virtual_channel_names', list('string')),
  f('physical_channel_names', list('string')),
  f('aliases', list('string')),
  f('snapshot_backup', msg(() => SnapshotBackupInfoDesc)),
]);

const RPCChannelInfoDesc = message('RPCChannelInfo', [f('name', 'string'), f('position', 'string')]);

export const DatabaseBackupInfoDesc = message('DatabaseBackupInfo', [
  f('db_name', 'string'),
  f('db_id', 'int64'),
  f('properties', kvs),
  f('ezk', 'string'),
]);

const NamedEntityDesc = (name: string) => message(name, [f('name', 'string')]);
const RoleEntityDesc = NamedEntityDesc('RoleEntity');
const UserEntityDesc = NamedEntityDesc('UserEntity');
const ObjectEntityDesc = NamedEntityDesc('ObjectEntity');
const PrivilegeEntityDesc = NamedEntityDesc('PrivilegeEntity');

const GrantorEntityDesc = message('GrantorEntity', [
  f('user', msg(() => UserEntityDesc)),
  f('privilege', msg(() => PrivilegeEntityDesc)),
]);

const GrantEntityDesc = message('GrantEntity', [
  f('role', msg(() => RoleEntityDesc)),
  f('object', msg(() => ObjectEntityDesc)),
  f('object_name', 'string'),
  f('grantor', msg(() => GrantorEntityDesc)),
  f('db_name', 'string'),
]);

const PrivilegeGroupInfoDesc = message('PrivilegeGroupInfo', [
  f('group_name', 'string'),
  f('privileges', list(() => PrivilegeEntityDesc)),
]);

const UserInfoDesc = message('UserInfo', [
  f('user', 'string'),
  f('password', 'string'),
  f('roles', list(() => RoleEntityDesc)),
]);

export const RBACMetaDesc = message('RBACMeta', [
  f('users', list(() => UserInfoDesc)),
  f('roles', list(() => RoleEntityDesc)),
  f('grants', list(() => GrantEntityDesc)),
  f('privilege_groups', list(() => PrivilegeGroupInfoDesc)),
]);

export const BackupInfoDesc = message('BackupInfo', [
  f('id', 'string'),
  f('state_code', 'int32', true),
  f('name', 'string'),
  f('backup_timestamp', 'uint64'),
  f('collection_backups', list(() => CollectionBackupInfoDesc)),
  f('size', 'int64', true),
  f('milvus_version', 'string'),
  f('rbac_meta', msg(() => RBACMetaDesc)),
  f('rpc_channel_info', msg(() => RPCChannelInfoDesc)),
  f('database_backups', list(() => DatabaseBackupInfoDesc)),
  f('flush_all_msgs_base64', 'map'),
  f('control_channel_name', 'string'),
  f('physical_channel_names', list('string')),
  f('format', 'string'),
]);

export const CollectionLevelDesc = message('CollectionLevelBackupInfo', [f('infos', list(() => CollectionBackupInfoDesc))]);
export const PartitionLevelDesc = message('PartitionLevelBackupInfo', [f('infos', list(() => PartitionBackupInfoDesc))]);
export const SegmentLevelDesc = message('SegmentLevelBackupInfo', [f('infos', list(() => SegmentBackupInfoDesc))]);

export const CollectionBackupInfoBriefDesc = message('CollectionBackupInfoBrief', [
  f('id', 'string'),
  f('collection_id', 'int64'),
  f('db_name', 'string'),
  f('collection_name', 'string'),
  f('schema', msg(() => CollectionSchemaDesc)),
  f('shards_num', 'int32'),
  f('backup_timestamp', 'uint64'),
  f('size', 'int64', true),
  f('has_index', 'bool', true),
  f('index_infos', list(() => IndexInfoDesc)),
  f('load_state', 'string'),
  f('backup_physical_timestamp', 'uint64'),
  f('channel_checkpoints', 'map'),
  f('properties', kvs),
]);

export const BackupInfoBriefDesc = message('BackupInfoBrief', [
  f('id', 'string'),
  f('state_code', 'int32', true),
  f('errorMessage', 'string'),
  f('start_time', 'int64'),
  f('end_time', 'int64'),
  f('progress', 'int32', true),
  f('name', 'string'),
  f('backup_timestamp', 'uint64'),
  f('collection_backups', list(() => CollectionBackupInfoBriefDesc)),
  f('size', 'int64', true),
  f('milvus_version', 'string'),
  f('rpc_channel_info', msg(() => RPCChannelInfoDesc)),
  f('database_backups', list(() => DatabaseBackupInfoDesc)),
  f('meta_size', 'int64', true),
  f('format', 'string'),
]);
