import type * as vscode from 'vscode';
import type { ResolvedConfig, StorageConfig } from '../../core/config';

/**
 * What the explorer connects to. A Milvus instance always carries a full ResolvedConfig (its Milvus address and
 * the bucket Milvus keeps its binlogs in, which a backup copies from); a storage target is the backup side of
 * one or more configs, identified by where it points so two backup.yaml files sharing a bucket show it once.
 */
export type Origin = 'file' | 'settings';

export interface MilvusInstance {
  /** stable across reloads: `file:<uri>` or `settings:<name>` */
  id: string;
  name: string;
  origin: Origin;
  file?: vscode.Uri;
  config: ResolvedConfig;
  /** load problems (errors) that make the instance unusable; warnings are only logged */
  problems: string[];
  /** 1-based line of the first problem in `file`, where *Open backup.yaml* puts the cursor */
  problemLine?: number;
  /** settings only: the name of the storage target its backups go to (resolved against every target) */
  backupStorageName?: string;
  /** the storage target this instance backs up into by default (a backup.yaml's own backup side) */
  defaultStorageId?: string;
}

export interface StorageTarget {
  id: string;
  name: string;
  origin: Origin;
  storage: StorageConfig;
  /** a config whose backup side is this target (transfer settings and all), for opening the catalog */
  config: ResolvedConfig;
  /** the backup.yaml it was first read from (for `--config` in a copied CLI command) */
  file?: vscode.Uri;
  /** settings targets: the name in `milvusBackup.storageTargets` (the label may differ, see uniqueNames) */
  settingName?: string;
  /** names of the instances that back up into it by default */
  usedBy?: string[];
}

/** Where a storage points, without credentials: the identity two configs share a target by. */
export function storageId(s: StorageConfig): string {
  const where = s.provider === 'local' ? s.rootPath : `${s.address}:${s.port}/${s.bucketName}/${s.rootPath}`;
  return `storage:${s.provider}://${where}`;
}

/** `cfg` with its backup side replaced by `target`: back up from cfg's Milvus into target, or restore from it. */
export function withBackupStorage(cfg: ResolvedConfig, target: StorageTarget): ResolvedConfig {
  return { ...cfg, backup: { ...cfg.backup, storage: target.storage } };
}

/** How the tree and pickers describe a storage target: `minio 127.0.0.1:9000 bucket-b/backup`. */
export function describeStorage(s: StorageConfig): string {
  if (s.provider === 'local') return `local ${s.rootPath}`;
  return `${s.provider} ${s.address}${s.port ? `:${s.port}` : ''} ${s.bucketName}/${s.rootPath}`;
}
