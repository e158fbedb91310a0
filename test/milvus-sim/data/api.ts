/**
 * The seam between the Milvus test server's protocol layer (test/milvus-sim/*.ts: gRPC, REST, management,
 * the catalog of databases/collections/partitions/indexes/users) and its data plane (test/milvus-sim/data/**:
 * segments, binlogs in S3, flush, deletes/L0, compaction, GC, query/search, import).
 *
 * The protocol layer decodes wire FieldData into rows of plain values (below) and hands the data plane a
 * CollectionView describing the schema; the data plane never parses protos or talks gRPC.
 *
 * Ids and timestamps are decimal strings (int64/uint64 beyond 2^53), as the SDK sees them with longs: String.
 */

/** Milvus DataType names, exactly as in schema.proto (`Int64`, `VarChar`, `FloatVector`, `JSON`, …). */
export type DataTypeName = string;

/**
 * Row values by data type:
 * Bool → boolean; Int8/Int16/Int32 → number; Int64 → bigint; Float/Double → number; VarChar/String/Text →
 * string; JSON → Buffer (raw JSON bytes, also the dynamic `$meta` field); Array → Value[] (elements by
 * element_type); FloatVector → number[]; BinaryVector/Float16Vector/BFloat16Vector/Int8Vector → Buffer;
 * SparseFloatVector → Buffer (one row of SparseFloatArray.contents); Geometry → Buffer; Timestamptz →
 * bigint; a null of a nullable field → null.
 */
export type Value = boolean | number | bigint | string | Buffer | null | number[] | Value[];

/** One row: user field id → value. The data plane adds field 0 (row id) and 1 (timestamp) itself. */
export type Row = Map<number, Value>;

export interface FieldView {
  fieldId: number; // user fields from 100, in schema order; $meta right after the fields created with the collection
  name: string;
  dataType: DataTypeName;
  elementType?: DataTypeName;
  isPrimaryKey: boolean;
  autoID: boolean;
  isPartitionKey: boolean;
  isDynamic: boolean; // the `$meta` field
  nullable: boolean;
  isFunctionOutput: boolean; // e.g. BM25 sparse output: computed, not supplied by the client
  dim?: number;
  defaultValue?: Value;
}

export interface PartitionView {
  partitionId: string;
  name: string;
}

export interface CollectionView {
  dbName: string;
  dbId: string;
  collectionId: string;
  name: string;
  fields: FieldView[]; // includes $meta when enable_dynamic_field
  partitions: PartitionView[]; // in creation order; partition-key collections: `_default_0` … `_default_<n-1>`
  /** Virtual channels, e.g. `by-dev-rootcoord-dml_0_<collectionId>v0`; one per shard. */
  vchannels: string[];
  pchannels: string[];
  /** Milvus version the server pretends to be: decides L0 deletes (≥ 2.4), storage_version (2.6), etc. */
  version: { major: number; minor: number; patch: number };
  /** Collection properties (optional). `allow_insert_auto_id: "true"` keeps autoID primary keys on import, as Milvus does. */
  properties?: Record<string, string>;
}

/**
 * A request Milvus rejects before any job or data exists (the RPC answers with this status instead of a result).
 * `code` is Milvus's merr code (e.g. 2100 ImportFailed, 1100 ParameterInvalid, 200 PartitionNotFound) and
 * `errorCode` the legacy commonpb.ErrorCode name to put in `status.error_code`.
 */
export class DataPlaneError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly errorCode: string = 'UnexpectedError',
  ) {
    super(message);
    this.name = 'DataPlaneError';
  }
}

export type SegmentLevel = 'Legacy' | 'L0' | 'L1' | 'L2';
export type SegmentState = 'Growing' | 'Sealed' | 'Flushing' | 'Flushed' | 'Dropped';

export interface BinlogRef {
  logId: string;
  /** Object key in this instance's bucket (`<rootPath>/insert_log/<c>/<p>/<s>/<field>/<log>` or delta_log). */
  key: string;
  size: number;
  entries: number;
  timestampFrom: string;
  timestampTo: string;
}

export interface SegmentView {
  segmentId: string;
  collectionId: string;
  partitionId: string; // "-1" for collection-wide L0 segments
  vchannel: string;
  level: SegmentLevel;
  state: SegmentState;
  numRows: number;
  storageVersion: number; // 0/1 before 2.6, 2 from 2.6 in this simulator
  isSorted: boolean;
  /**
   * Field 0, 1, user fields, $meta — or, for storage v2 segments written with column groups, one entry per group
   * (`fieldId` = group id: 0 for system + scalar fields, a vector field's id for its own group) with `childFields`.
   */
  insertLogs: Array<{ fieldId: number; binlogs: BinlogRef[]; childFields?: number[] }>;
  deltaLogs: BinlogRef[];
}

export interface FlushResult {
  /** Segments sealed by this flush (and segments already sealed/flushing), per the Flush response. */
  segmentIds: string[];
  /** Segments that were already flushed before this call. */
  flushedSegmentIds: string[];
  flushTs: string;
  sealTimeSec: number;
  /** Channel checkpoints after the flush: vchannel → position. */
  channelCheckpoints: Record<string, { timestamp: string; msgId: Buffer }>;
}

export type ImportState = 'Pending' | 'PreImporting' | 'Importing' | 'Uncommitted' | 'Committing' | 'Completed' | 'Failed';

export interface ImportJobView {
  jobId: string;
  dbName: string;
  collectionName: string;
  collectionId: string;
  state: ImportState;
  progress: number; // 0..100
  reason: string;
  importedRows: number;
  totalRows: number;
  segmentIds: string[];
  createTime: number;
  files: string[][];
}

export interface QueryRequest {
  filter: string; // Milvus boolean expression; '' = all rows
  outputFieldIds: number[];
  partitionNames?: string[];
  limit?: number;
  offset?: number;
  /** Only rows visible at or before this timestamp (guarantee/travel); undefined = latest. */
  asOfTs?: string;
}

export interface SearchRequest {
  annsFieldId: number;
  vectors: Value[]; // query vectors (number[] or Buffer per the field's type)
  topK: number;
  metricType: string; // L2, IP, COSINE, HAMMING, JACCARD, BM25 …
  filter: string;
  outputFieldIds: number[];
  partitionNames?: string[];
}

export interface SearchHit {
  pk: string | number | bigint;
  score: number;
  row: Row;
}

/**
 * The data plane of one simulated Milvus instance. Its state (segment metadata, id allocator, import jobs,
 * GC tickets) persists under the instance's data dir, like Milvus's etcd; binlogs live in the bucket.
 */
export interface DataPlane {
  insert(c: CollectionView, partitionName: string | undefined, rows: Row[]): Promise<{ ids: Array<string | number>; timestamp: string }>;
  /** Upsert = delete by primary key + insert, in one timestamp. */
  upsert(c: CollectionView, partitionName: string | undefined, rows: Row[]): Promise<{ ids: Array<string | number>; timestamp: string }>;
  delete(c: CollectionView, partitionName: string | undefined, filter: string): Promise<{ deleteCount: number; timestamp: string }>;
  query(c: CollectionView, q: QueryRequest): Promise<Row[]>;
  count(c: CollectionView, filter: string, partitionNames?: string[]): Promise<number>;
  search(c: CollectionView, s: SearchRequest): Promise<SearchHit[][]>;

  flush(c: CollectionView): Promise<FlushResult>;
  getFlushState(segmentIds: string[], flushTs?: string, c?: CollectionView): Promise<boolean>;
  flushAll(cs: CollectionView[]): Promise<{ flushAllTs: string; perChannelTs: Record<string, string> }>;
  getFlushAllState(flushAllTs: string): Promise<boolean>;

  /** Persistent (sealed/flushed, not dropped) segments of a collection. */
  segments(c: CollectionView): Promise<SegmentView[]>;
  segment(segmentId: string): Promise<SegmentView | undefined>;
  rowCount(c: CollectionView): Promise<number>;

  /** Merges flushed segments into new ones; the old ones become Dropped (GC deletes their files later). */
  compact(c: CollectionView): Promise<{ compactionId: string; merged: string[]; created: string[] }>;
  /** Runs one GC pass now: deletes binlogs of dropped segments unless paused (cluster-wide or for that collection). */
  runGc(): Promise<{ deletedKeys: string[] }>;
  pauseGc(seconds: number, collectionId?: string): { ticket?: string };
  resumeGc(ticket?: string, collectionId?: string): void;

  dropCollection(c: CollectionView): Promise<void>;
  dropPartition(c: CollectionView, partitionId: string): Promise<void>;

  /**
   * Import as Milvus does with `backup: true` (files = [[insertPrefix, deltaPrefix?], …]) or `l0_import: true`
   * (files = [[deltaPrefix], …]); options as sent (`end_ts`, `skip_disk_quota_check`, `storage_version`).
   * Validates synchronously (returns Failed jobs for bad input the way Milvus reports it) and runs in the background.
   */
  createImport(c: CollectionView, partitionName: string | undefined, files: string[][], options: Record<string, string>): Promise<ImportJobView>;
  getImport(jobId: string): Promise<ImportJobView | undefined>;
  listImports(c?: CollectionView): Promise<ImportJobView[]>;

  /** TSO-like allocator (physical ms << 18 | logical): ids and timestamps far above 2^53. */
  allocId(count?: number): string;
  allocTimestamp(): string;

  /**
   * Fault for the reliability suite: writes an extra binlog into a flushed segment's field dir that the segment
   * metadata does not list — what a DataNode retry leaves behind in Milvus. Listing-based discovery then sees
   * fields with different file counts (spec §3.8). Returns the key written.
   */
  injectOrphanBinlog?(segmentId: string, fieldId: number): Promise<string>;

  close(): Promise<void>;
}
