/**
 * Opens what a restore (or its preview) needs from the config: the backup store and meta, the Milvus store,
 * the Milvus gateway; and decides the two things that depend on them — whether data must be staged into the
 * Milvus bucket, and which import API to use. Dependencies passed in by the caller are used as they are and
 * left open.
 */
import { getBackup } from '../catalog';
import { openBackupCatalog } from '../catalog/openCatalog';
import { UserError } from '../errors';
import type { BackupInfo } from '../meta/types';
import { connectMilvus, gatewayOptionsFromConfig, type MilvusGateway } from '../milvus';
import { createObjectStore } from '../storage';
import { backupDirPrefix, locationOf, type Location } from '../layout';
import { needsStaging } from './staging';
import type { RestoreRequest } from './types';

export interface BackupSource {
  backup: BackupInfo;
  backupDir: string;
  side: Location;
  close(): Promise<void>;
}

/** The backup's meta: the caller's read when it passed one (`prereadBackup`, see RestoreRequest), else a fresh read. */
async function readMeta(loc: Location, req: RestoreRequest): Promise<BackupInfo> {
  const pre = req.prereadBackup;
  if (!pre) return (await getBackup(loc, req.name, { signal: req.signal })).info;
  if (pre.name !== req.name) {
    throw new UserError(`restore: the backup meta passed in is of backup "${pre.name}", but backup "${req.name}" is to be restored`, 'backup-mismatch');
  }
  return pre.info;
}

export async function openBackup(req: RestoreRequest): Promise<BackupSource> {
  const cfg = req.config;
  if (req.backupStore) {
    const side = locationOf(req.backupStore, cfg.backup.storage);
    const info = await readMeta(side, req);
    return { backup: info, backupDir: backupDirPrefix(side.rootPath, req.name), side, close: async () => {} };
  }
  const cat = openBackupCatalog(cfg);
  try {
    const info = await readMeta(cat, req);
    return { backup: info, backupDir: backupDirPrefix(cat.rootPath, req.name), side: cat, close: () => cat.close() };
  } catch (e) {
    await cat.close();
    throw e;
  }
}

export function openMilvusStore(req: RestoreRequest): { side: Location; close(): Promise<void> } {
  const s = req.config.milvus.storage;
  if (req.milvusStore) return { side: locationOf(req.milvusStore, s), close: async () => {} };
  const store = createObjectStore(s, { multipartCopyThresholdMiB: req.config.transfer.multipartCopyThresholdMiB });
  return { side: locationOf(store, s), close: () => store.close() };
}

export async function openGateway(req: RestoreRequest): Promise<{ gateway: MilvusGateway; close(): Promise<void> }> {
  if (req.gateway) return { gateway: req.gateway, close: async () => {} };
  const gateway = await connectMilvus(
    { ...gatewayOptionsFromConfig(req.config), onRetry: (message) => req.onProgress?.({ kind: 'warning', message }) },
    req.signal,
  );
  return { gateway, close: () => gateway.close() };
}

export function importModeFor(req: RestoreRequest, gw: MilvusGateway): 'merged' | 'per-segment' {
  const api = req.importApi ?? 'auto';
  if (api === 'rest') return 'merged';
  if (api === 'grpc') return 'per-segment';
  // REST multi-file import jobs exist from Milvus 2.4 (Import v2 framework).
  return gw.features.l0Segments ? 'merged' : 'per-segment';
}

export function stagingFor(req: RestoreRequest, backup: Location, milvus: Location): { staging: boolean; serverSide: boolean } {
  const mode = req.config.transfer.mode;
  const staging = needsStaging(backup, milvus, mode);
  const serverSide = staging && mode !== 'streaming' && backup.store.backendKey === milvus.store.backendKey;
  return { staging, serverSide };
}

export function checkFormat(backup: BackupInfo): void {
  if (backup.format === 'snapshot') {
    throw new UserError(`backup ${backup.name} is in the snapshot format (Milvus 3.0), which this tool cannot restore yet`, 'unsupported-format');
  }
  if (backup.format !== '') {
    throw new UserError(`backup ${backup.name} was taken in the "${backup.format}" format, which this tool cannot restore`, 'unsupported-format');
  }
}

/** Throws on flags that cannot go together; returns warnings for flags that will do nothing. */
export function checkFlags(req: RestoreRequest): string[] {
  if (req.dropExistCollection && req.skipCreateCollection) {
    throw new UserError('drop_exist_collection and skip_create_collection cannot be true at the same time', 'conflicting-flags', 2);
  }
  const warnings: string[] = [];
  // Go accepts these and does nothing; saying so beats a silent no-op.
  if (req.useAutoIndex && !req.rebuildIndex) warnings.push('--use_auto_index has no effect without --rebuild_index');
  if (req.truncateBinlogByTs && req.metaOnly) warnings.push('--truncate_binlog_by_ts has no effect with --meta_only');
  return warnings;
}
