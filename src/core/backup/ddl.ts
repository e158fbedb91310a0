import type { MilvusGateway, Raw } from '../milvus/gateway';
import { encodeMessage, enumValue, VALUE_FIELD } from '../milvus/proto';
import {
  newCollectionBackupInfo, newCollectionSchema, newFieldSchema, newFunctionSchema, newIndexInfo,
  newPartitionBackupInfo, newStructArrayFieldSchema,
} from '../meta/create';
import type {
  CollectionBackupInfo, CollectionSchema, FieldSchema, FunctionSchema, IndexInfo, KeyValuePair, PartitionBackupInfo,
  StructArrayFieldSchema,
} from '../meta/types';
import { LoadState } from '../meta/types';

/**
 * A collection's DDL (Go `core/backup/coll_ddl_task.go`): DescribeCollection → schema (default values as
 * base64 of the proto `ValueField`, functions, struct arrays, properties), DescribeIndex, load state and
 * partitions. Segments come later (segments.ts).
 *
 * Inputs are the gateway's raw proto objects (snake_case, int64 as decimal strings, enums as names).
 */

const DATA_TYPE = 'milvus.proto.schema.DataType';
const FUNCTION_TYPE = 'milvus.proto.schema.FunctionType';
const CONSISTENCY = 'milvus.proto.common.ConsistencyLevel';

export function big(v: unknown): bigint {
  if (v === undefined || v === null || v === '') return 0n;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  if (typeof v === 'object' && v !== null && 'low' in v && 'high' in v) {
    // protobufjs Long, should longs ever come back unconverted
    const l = v as { low: number; high: number; unsigned?: boolean };
    const n = (BigInt(l.high >>> 0) << 32n) | BigInt(l.low >>> 0);
    return l.unsigned ? n : BigInt.asIntN(64, n);
  }
  return BigInt(String(v));
}

function kvs(v: unknown): KeyValuePair[] {
  if (!Array.isArray(v)) return [];
  return v.map((x: Raw) => ({ key: String(x.key ?? ''), value: String(x.value ?? '') }));
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

/** The proto `ValueField` of a field default, serialized and base64'd (Go: proto.Marshal + StdEncoding). */
export function defaultValueBase64(dv: unknown): string {
  if (dv === undefined || dv === null) return '';
  const obj = { ...(dv as Raw) };
  delete obj.data; // the oneof's virtual name, not a field
  return encodeMessage(VALUE_FIELD, obj).toString('base64');
}

function convField(f: Raw): FieldSchema {
  return newFieldSchema({
    fieldID: big(f.fieldID),
    name: String(f.name ?? ''),
    isPrimaryKey: Boolean(f.is_primary_key),
    description: String(f.description ?? ''),
    autoID: Boolean(f.autoID),
    dataType: enumValue(DATA_TYPE, f.data_type),
    typeParams: kvs(f.type_params),
    indexParams: kvs(f.index_params),
    isDynamic: Boolean(f.is_dynamic),
    isPartitionKey: Boolean(f.is_partition_key),
    nullable: Boolean(f.nullable),
    elementType: enumValue(DATA_TYPE, f.element_type),
    isFunctionOutput: Boolean(f.is_function_output),
    defaultValueBase64: defaultValueBase64(f.default_value),
  });
}

function convFunction(fn: Raw): FunctionSchema {
  return newFunctionSchema({
    name: String(fn.name ?? ''),
    id: big(fn.id),
    description: String(fn.description ?? ''),
    type: enumValue(FUNCTION_TYPE, fn.type),
    inputFieldNames: strings(fn.input_field_names),
    inputFieldIds: (fn.input_field_ids ?? []).map(big),
    outputFieldNames: strings(fn.output_field_names),
    outputFieldIds: (fn.output_field_ids ?? []).map(big),
    params: kvs(fn.params),
  });
}

function convStructArrayField(s: Raw): StructArrayFieldSchema {
  return newStructArrayFieldSchema({
    fieldID: big(s.fieldID),
    name: String(s.name ?? ''),
    description: String(s.description ?? ''),
    fields: ((s.fields ?? []) as Raw[]).map(convField),
  });
}

export function convSchema(s: Raw): CollectionSchema {
  return newCollectionSchema({
    name: String(s.name ?? ''),
    description: String(s.description ?? ''),
    autoID: Boolean(s.autoID),
    fields: ((s.fields ?? []) as Raw[]).map(convField),
    properties: kvs(s.properties),
    enableDynamicField: Boolean(s.enable_dynamic_field),
    functions: ((s.functions ?? []) as Raw[]).map(convFunction),
    structArrayFields: ((s.struct_array_fields ?? []) as Raw[]).map(convStructArrayField),
  });
}

/** Go: params map from every DescribeIndex param, index_type = params.index_type. */
export function convIndex(ix: Raw): IndexInfo {
  const params: Record<string, string> = {};
  for (const kv of kvs(ix.params)) params[kv.key] = kv.value;
  return newIndexInfo({
    indexId: big(ix.indexID),
    fieldName: String(ix.field_name ?? ''),
    indexName: String(ix.index_name ?? ''),
    indexType: params.index_type ?? '',
    params,
  });
}

export function loadStateOf(progress: number): string {
  if (progress === 0) return LoadState.NotLoad;
  if (progress === 100) return LoadState.Loaded;
  return LoadState.Loading;
}

/** The describe response → CollectionBackupInfo without partitions (added by the caller). */
export function collectionInfoFrom(taskId: string, d: Raw, indexes: IndexInfo[], loadState: string): CollectionBackupInfo {
  return newCollectionBackupInfo({
    id: taskId,
    collectionId: big(d.collectionID),
    dbName: String(d.db_name ?? ''),
    collectionName: String(d.collection_name ?? ''),
    schema: convSchema((d.schema ?? {}) as Raw),
    shardsNum: Number(d.shards_num ?? 0),
    consistencyLevel: enumValue(CONSISTENCY, d.consistency_level),
    hasIndex: indexes.length > 0,
    indexInfos: indexes,
    loadState,
    properties: kvs(d.properties),
    dbId: big(d.db_id),
    createdTimestamp: big(d.created_timestamp),
    virtualChannelNames: strings(d.virtual_channel_names),
    physicalChannelNames: strings(d.physical_channel_names),
    aliases: strings(d.aliases),
  });
}

/**
 * Runs the DDL calls for one collection. Partition load state: a Loaded/NotLoad collection gives every
 * partition its state; while Loading each partition is asked for separately (Go passes the partition name as
 * the collection name there, a bug we do not copy: we ask for the partition of this collection).
 */
export async function backupCollectionDdl(gw: MilvusGateway, taskId: string, db: string, name: string): Promise<CollectionBackupInfo> {
  const d = await gw.describeCollection(db, name);
  const indexes = (await gw.describeIndex(db, name)).map(convIndex);
  const collLoad = loadStateOf(await gw.loadingProgress(db, name));
  const info = collectionInfoFrom(taskId, d, indexes, collLoad);
  // Older servers leave db_name empty in DescribeCollection; the namespace we asked for is the truth.
  if (info.dbName === '') info.dbName = db;
  if (info.collectionName === '') info.collectionName = name;
  const parts = await gw.showPartitions(db, name);
  const partitions: PartitionBackupInfo[] = [];
  for (const p of parts) {
    let state = collLoad;
    if (collLoad === LoadState.Loading) state = loadStateOf(await gw.loadingProgress(db, name, [p.name]));
    partitions.push(newPartitionBackupInfo({
      partitionId: big(p.id), partitionName: p.name, collectionId: info.collectionId, loadState: state,
    }));
  }
  info.partitionBackups = partitions;
  return info;
}
