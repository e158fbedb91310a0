/**
 * Everything the backup and restore engines ask of a Milvus instance (the Go tool's `internal/client/milvus/grpc.go`), as one interface. The
 * implementation over the Node SDK is `sdkGateway.ts`; REST and management HTTP calls live in `rest.ts` and
 * `management.ts`. Responses are the raw proto shapes (snake_case fields, int64 as decimal strings, enums as
 * names, bytes as Buffer) so nothing is lost between Milvus and the backup meta.
 */
import type { FeatureFlags, ServerVersion } from './version';

export type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface KeyValue {
  key: string;
  value: string;
}

export interface PartitionRef {
  id: string;
  name: string;
}

export interface SegmentInfoRow {
  segmentId: string;
  collectionId: string;
  partitionId: string;
  numRows: number;
  /** 'Legacy' | 'L0' | 'L1' | 'L2' */
  level: string;
  /** 'Growing' | 'Sealed' | 'Flushed' | 'Flushing' | 'Dropped' | … */
  state: string;
  storageVersion: number;
  isSorted: boolean;
}

/** One segment as REST `segments/describe` reports it (Milvus ≥ 2.5.8). */
export interface RestSegmentInfo {
  segmentId: string;
  collectionId: string;
  partitionId: string;
  vChannel: string;
  level: string;
  numRows: number;
  state: string;
  isSorted: boolean;
  insertLogs: Array<{ fieldId: string; logIds: string[] }>;
  deltaLogs: Array<{ fieldId: string; logIds: string[] }>;
}

export interface FlushOutcome {
  /** Segments to wait for (sealed by this flush). */
  segmentIds: string[];
  flushedSegmentIds: string[];
  flushTs: string;
  sealTimeSec: string;
  /** vchannel → MsgPosition (raw proto object) */
  channelCheckpoints: Record<string, Raw>;
  raw: Raw;
}

export interface ImportProgress {
  state: string; // Pending | Importing | Uncommitted | Committing | Completed | Failed (REST) or ImportPending… (gRPC)
  done: boolean;
  failed: boolean;
  progress: number; // 0..100
  reason: string;
  importedRows?: number;
}

export interface CreateCollectionArgs {
  name: string;
  /** Exact CollectionSchema bytes (see proto.ts encodeMessage(SCHEMA, …)). */
  schema: Buffer;
  shardsNum: number;
  consistencyLevel: number | string;
  numPartitions: number;
  properties: KeyValue[];
}

export interface MilvusGateway {
  readonly version: ServerVersion;
  readonly features: FeatureFlags;
  /** `host:port` of the gRPC endpoint, for messages. */
  readonly address: string;

  listDatabases(signal?: AbortSignal): Promise<string[]>;
  describeDatabase(db: string): Promise<{ dbId: string; properties: KeyValue[] }>;
  createDatabase(db: string): Promise<void>;

  listCollections(db: string): Promise<string[]>;
  hasCollection(db: string, name: string): Promise<boolean>;
  /** Raw DescribeCollectionResponse (schema with fields, collectionID, shards_num, properties, …). */
  describeCollection(db: string, name: string): Promise<Raw>;
  /** Raw IndexDescription[]; [] when the collection has no index. */
  describeIndex(db: string, name: string): Promise<Raw[]>;
  /** 0..100 */
  loadingProgress(db: string, name: string, partitions?: string[]): Promise<number>;
  showPartitions(db: string, name: string): Promise<PartitionRef[]>;
  /** Row count as Milvus's datacoord reports it (GetCollectionStatistics `row_count`). */
  collectionRowCount(db: string, name: string): Promise<number>;

  flush(db: string, name: string, signal?: AbortSignal): Promise<FlushOutcome>;
  getFlushState(db: string, name: string, segmentIds: string[], flushTs: string): Promise<boolean>;
  flushAll(signal?: AbortSignal): Promise<Raw>;
  getFlushAllState(flushAllResponse: Raw): Promise<boolean>;
  persistentSegments(db: string, name: string): Promise<SegmentInfoRow[]>;
  /** REST `segments/describe`; throws when the server has no such endpoint (the engine falls back to listing). */
  describeSegments(db: string, collectionId: string, segmentIds: string[], signal?: AbortSignal): Promise<RestSegmentInfo[]>;

  backupRBAC(): Promise<Raw>;
  restoreRBAC(rbacMeta: Raw): Promise<void>;

  createCollection(db: string, args: CreateCollectionArgs): Promise<void>;
  dropCollection(db: string, name: string): Promise<void>;
  /** AddCollectionField with the exact FieldSchema bytes. */
  addCollectionField(db: string, name: string, fieldSchema: Buffer): Promise<void>;
  alterCollectionProperties(db: string, name: string, properties: KeyValue[]): Promise<void>;
  createIndex(db: string, collection: string, fieldName: string, indexName: string, params: KeyValue[]): Promise<void>;
  dropIndex(db: string, collection: string, fieldName: string, indexName: string): Promise<void>;
  hasPartition(db: string, collection: string, partition: string): Promise<boolean>;
  createPartition(db: string, collection: string, partition: string): Promise<void>;

  /** gRPC Import (the legacy bulk-insert RPC the Go tool's default restore uses): returns the job id. */
  importFiles(db: string, collection: string, partition: string, files: string[], options: KeyValue[]): Promise<string>;
  getImportState(jobId: string): Promise<ImportProgress>;
  /** REST jobs/import/create with several file groups (merged restore): returns the job id. */
  restImportCreate(db: string, collection: string, partition: string, files: string[][], options: Record<string, string>): Promise<string>;
  restImportDescribe(db: string, jobId: string): Promise<ImportProgress>;

  /** Management API: pause GC (cluster-wide, or one collection from 2.6.8 → ticket). */
  pauseGc(seconds: number, collectionId?: string): Promise<{ ticket?: string }>;
  resumeGc(ticket?: string): Promise<void>;
  /** Management API: the encryption-zone key of a database with `cipher.*` properties (Go `core/backup/database_task.go`). Optional for fakes. */
  backupEzk?(db: string): Promise<string>;
  /** ReplicateMessage{channel_name} → the channel position (Milvus 2.5 CDC; Go `core/backup/rpc_channel_pos.go`). Optional for fakes. */
  replicateMessage?(channelName: string): Promise<string>;

  close(): Promise<void>;
}

export interface GatewayOptions {
  address: string; // host:port
  user?: string;
  password?: string;
  tls?: { mode: 'disabled' | 'server' | 'mutual'; caCertPath?: string; serverName?: string; certPath?: string; keyPath?: string };
  /** REST base URL; default http(s)://address (Milvus serves REST on the gRPC port). */
  restEndpoint?: string;
  /** Management base URL, e.g. http://localhost:9091. */
  managementEndpoint?: string;
  /** Per-call timeout in ms (default 60 s). */
  timeoutMs?: number;
  /** Told about each retried call (callRetry.ts), e.g. to show it as a warning while it happens. */
  onRetry?: (message: string) => void;
}
