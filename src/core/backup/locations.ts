import type { ResolvedConfig, StorageConfig } from '../config/types';
import { UserError } from '../errors';
import { createObjectStore, type ObjectStore } from '../storage';

/**
 * The two ends of a backup: the Milvus bucket (read) and the backup bucket (written). For the `local`
 * provider the store is rooted at `rootPath` itself (keys are paths under it, as in the Go tool and the
 * catalog's `openBackupCatalog`), so the in-store root is empty there.
 */
export interface Location {
  store: ObjectStore;
  bucket: string;
  /** root path inside the store: Milvus's rootPath on the source side, the backup root on the backup side */
  rootPath: string;
}

export function locationOf(store: ObjectStore, s: StorageConfig): Location {
  const local = s.provider === 'local';
  return { store, bucket: local ? s.bucketName || 'local' : s.bucketName, rootPath: local ? '' : s.rootPath };
}

export function openStore(config: ResolvedConfig, side: 'milvus' | 'backup'): ObjectStore {
  const s = side === 'milvus' ? config.milvus.storage : config.backup.storage;
  if (s.provider !== 'local' && !s.bucketName) {
    const key = side === 'milvus' ? 'minio.bucketName (v2: milvus.storage.bucketName)' : 'minio.backupBucketName (v2: backup.storage.bucketName)';
    throw new UserError(`the ${side === 'milvus' ? 'Milvus' : 'backup'} bucket name is empty: set ${key}`, 'storage-config');
  }
  return createObjectStore(s, { multipartCopyThresholdMiB: config.transfer.multipartCopyThresholdMiB });
}
