import type { ResolvedConfig } from '../config/types';
import type { ProgressListener } from '../jobs/progress';
import type { MilvusGateway } from '../milvus/gateway';
import type { CollectionFilter } from '../names/filter';
import type { ObjectStore } from '../storage/objectStore';
import type { CleanupTiming } from './cleanup';
import type { FlushTiming } from './flush';
import type { GcTiming } from './gcController';
import type { ResolvedStrategy, Strategy } from './strategy';

export interface CreateBackupOptions {
  config: ResolvedConfig;
  /** Backup name (`[A-Za-z_][A-Za-z0-9_]*`, ≤ 128); see catalog `defaultBackupName` for the Go default. */
  name: string;
  /** A parsed filter or its text (`a,db1.b,db2.*,db3.`); absent = every database and collection. */
  filter?: CollectionFilter | string;
  strategy?: Strategy;
  /** Also back up users, roles, grants and privilege groups (BackupRBAC). */
  rbac?: boolean;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** An already-connected gateway (the caller closes it); default: connect from `config.milvus`. */
  gateway?: MilvusGateway;
  /** Stores to use instead of building them from the config (the caller closes them). */
  stores?: { milvus: ObjectStore; backup: ObjectStore };
  /** Task id recorded in the meta (`id`); default a random UUID. */
  taskId?: string;
  /** Poll/renewal periods (tests shorten them). */
  timing?: { flush?: FlushTiming; gc?: Partial<GcTiming>; cleanup?: CleanupTiming };
}

export interface CollectionSummary {
  db: string;
  collection: string;
  collectionId: string;
  partitions: number;
  segments: number;
  l0Segments: number;
  /** rows reported by Milvus for the backed-up segments (decimal string: may exceed 2^53) */
  rows: string;
  bytes: number;
  objects: number;
}

export interface BackupSummary {
  name: string;
  id: string;
  bucket: string;
  /** the backup folder prefix in the bucket, `<root>/<name>/` */
  path: string;
  milvusVersion: string;
  strategy: ResolvedStrategy;
  transfer: 'server-side' | 'streaming';
  databases: string[];
  collections: CollectionSummary[];
  /** data bytes copied (= `size` in the meta) */
  bytes: number;
  objects: number;
  metaBytes: number;
  /** backup key → ETag, for objects whose store reported one (no checksum files exist in the Go format) */
  etags: Record<string, string>;
  gc: 'off' | 'cluster' | 'collection';
  warnings: string[];
  durationMs: number;
}
