/**
 * The restore engine's public shapes: what a caller asks for (RestoreRequest), what planRestore shows before
 * anything happens (RestorePreview) and what restoreBackup hands back (RestoreReport). The extension renders
 * the preview and the report as they are, so every field is plain data (numbers, strings; no bigint, no class).
 */
import type { ResolvedConfig } from '../config/types';
import type { ProgressListener } from '../jobs/progress';
import type { BackupInfo } from '../meta/types';
import type { MilvusGateway } from '../milvus/gateway';
import type { ObjectStore } from '../storage/objectStore';

/** Per-collection overrides, keyed by target `db.coll` (the REST plan's `override`; not in the Go CLI). */
export interface CollectionOverride {
  shardNum?: number;
  description?: string;
}

/** `skipParams` of the REST API: keys left out of what is sent to Milvus. */
export interface SkipParams {
  collectionProperties?: string[];
  fieldTypeParams?: string[];
  fieldIndexParams?: string[];
}

export interface RestoreFlags {
  /** `--rebuild_index` (0.5: `--restore_index`): create the backed-up indexes before importing. */
  rebuildIndex?: boolean;
  /** `--use_auto_index`: vector indexes become AUTOINDEX with the original metric. */
  useAutoIndex?: boolean;
  dropExistCollection?: boolean;
  dropExistIndex?: boolean;
  skipCreateCollection?: boolean;
  /**
   * `--keep_failed`: a collection this run created stays when its restore fails or is cancelled. Default: it is
   * dropped (rollback.ts), so a failed restore leaves no half-filled collection behind.
   */
  keepFailed?: boolean;
  /** Create schema, indexes and partitions only. */
  metaOnly?: boolean;
  /** `--rbac`: add users/roles/grants/privilege groups missing on the target. */
  rbac?: boolean;
  /** Send `end_ts` = the channel checkpoint of each batch (needs a backup taken with a per-collection flush). */
  truncateBinlogByTs?: boolean;
  /** Cap on shards per collection (0 = keep the backup's). */
  maxShardNum?: number;
  skipParams?: SkipParams;
  /** old ezk → new ezk (encryption zones). */
  ezkMapping?: Record<string, string>;
}

export interface RestoreRequest extends RestoreFlags {
  config: ResolvedConfig;
  /** Backup name (`-n`). */
  name: string;
  /**
   * The backup's meta as the caller already read it (catalog `getBackup(loc, name)`: its `name` and `info`).
   * Given, neither the preview nor the run reads the meta again: the extension's wizard reads it to offer the
   * collections, and full_meta.json can be tens of MB, so a second GET and parse per step is real cost. Must
   * be the read of `name` in this request's backup storage (a different name throws `backup-mismatch`). The
   * CLI leaves it out and the engine reads the meta itself.
   */
  prereadBackup?: { name: string; info: BackupInfo };
  /** `-s/--suffix`. */
  suffix?: string;
  /** `-r/--rename`: `db1.*:db2.*,c1:c2,db1.c1:db2.c2`. */
  rename?: string;
  /** `--filter`: target names, i.e. after suffix/rename (Go main semantics). */
  filter?: string;
  /** Selection by names in the backup (before rename): the 0.5 CLI's `-c`, `-d`, `-a` (the seed's `-c coll`). */
  collections?: string;
  databases?: string;
  databaseCollections?: string;
  overrides?: Record<string, CollectionOverride>;
  /**
   * How data is imported. `auto` (default): merged REST `jobs/import` jobs (up to maxSegmentsPerImportJob
   * segments each) when the target is Milvus ≥ 2.4, one gRPC `Import` per segment before that.
   */
  importApi?: 'auto' | 'rest' | 'grpc';
  /** Compare restored row counts with the backup (default true). */
  verifyRowCount?: boolean;
  /** Extra attempts for an import job that ends Failed (default 2). */
  importRetries?: number;
  /** Plan only: `restoreBackup` returns the preview in its report and changes nothing. */
  dryRun?: boolean;
  /**
   * The preview `planRestore` returned for this request: the run restores what it planned (its backup meta and
   * its plan; nothing is read or planned again) after checking the targets again. Must come from planRestore
   * (else `plan-unknown`) for this backup name (else `backup-mismatch`); the other fields must be the ones
   * planned with. The editor previews, confirms, then runs with it.
   */
  plan?: RestorePreview;
  /** Restore task id (staging prefix `restore-temp-<id>-…`); default a fresh id. */
  taskId?: string;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** Poll interval for import jobs (default 3000 ms, as the Go tool). */
  pollIntervalMs?: number;
  /** Dependencies, for tests and the extension (which may hold open connections). Closed only if we opened them. */
  gateway?: MilvusGateway;
  backupStore?: ObjectStore;
  milvusStore?: ObjectStore;
}

export type CollectionAction = 'create' | 'drop-and-create' | 'use-existing';

export interface PreviewPartition {
  name: string;
  segments: number;
  l0Segments: number;
  rows: number;
  bytes: number;
}

export interface PreviewIndex {
  field: string;
  name: string;
  /** index_type that will be sent (after use_auto_index / marisa-trie rewriting). */
  type: string;
}

export interface PreviewCollection {
  source: string; // db.coll in the backup
  target: string; // db.coll in Milvus
  targetDb: string;
  targetCollection: string;
  action: CollectionAction;
  /** Does the target exist now (undefined when Milvus was not asked). */
  exists?: boolean;
  shards: number;
  /** num_partitions sent (partition-key collections only). */
  numPartitions: number;
  /** Fields sent in CreateCollection, and those added afterwards with AddCollectionField (field-id alignment). */
  createFields: string[];
  addedFields: string[];
  functions: string[];
  partitions: PreviewPartition[];
  /** Collection-wide (partition −1) L0 segments. */
  collectionL0Segments: number;
  segments: number;
  rows: number;
  bytes: number;
  importJobs: { data: number; l0: number };
  indexes: PreviewIndex[];
  /** Whether data is copied into the Milvus bucket first (`restore-temp-…`). */
  staging: boolean;
  /** Problems that will stop this collection (already exists, missing with skip_create_collection, …). */
  problems: string[];
  notes: string[];
}

export interface RestorePreview {
  backup: { name: string; milvusVersion: string; size: number; collections: number };
  target: { address: string; milvusVersion?: string };
  /** `notes`: what differs on this target (e.g. Milvus < 2.4, importV1.ts). */
  compatibility: { ok: boolean; reason?: string; notes?: string[] };
  mapping: string;
  importMode: 'merged' | 'per-segment';
  maxSegmentsPerImportJob: number;
  databasesToCreate: string[];
  rbac?: { users: number; roles: number; grants: number; privilegeGroups: number };
  collections: PreviewCollection[];
  totals: { collections: number; segments: number; rows: number; bytes: number; importJobs: number };
  /** Problems that stop the whole restore (flag conflicts, version incompatibility, nothing selected…). */
  problems: string[];
  warnings: string[];
}

export type CollectionOutcome = 'restored' | 'failed' | 'cancelled' | 'not-started';

export interface CollectionReport {
  source: string;
  target: string;
  outcome: CollectionOutcome;
  /** We created the collection in this run (it exists now even if data is incomplete, unless `rolledBack`). */
  created: boolean;
  /** It failed after we created it, and we dropped it again (unless `keepFailed`). */
  rolledBack?: boolean;
  /** All data imported and verified (meta_only: DDL done). */
  complete: boolean;
  importJobs: Array<{ jobId: string; partition: string; kind: 'data' | 'l0'; attempts: number; state: string }>;
  rows?: { expected: number; actual: number; verified: boolean; note?: string };
  error?: string;
  durationMs: number;
}

export interface RestoreReport {
  taskId: string;
  backupName: string;
  ok: boolean;
  cancelled: boolean;
  collections: CollectionReport[];
  createdDatabases: string[];
  rbac?: { users: number; roles: number; grants: number; privilegeGroups: number };
  /** Staging prefixes left behind (keepTempFiles, or a cleanup that failed). Empty after a normal run. */
  stagingLeft: string[];
  error?: string;
  durationMs: number;
  warnings: string[];
}
