import { join } from 'node:path';
import type { ResolvedConfig } from '../config/types';
import { UserError } from '../errors';
import { createObjectStore } from '../storage';
import type { CatalogLocation } from './catalog';

export interface OpenCatalog extends CatalogLocation {
  /** Releases the store's sockets/handles. */
  close(): Promise<void>;
}

/**
 * The backup side of the config (`backup.storage`) as a catalog location. For the `local` provider the store is
 * rooted at `rootPath` itself (keys are paths under it, as in the Go tool), so the catalog's root is empty there.
 */
export function openBackupCatalog(config: ResolvedConfig): OpenCatalog {
  const s = config.backup.storage;
  const local = s.provider === 'local';
  if (!local && !s.bucketName) {
    throw new UserError('the backup bucket name is empty: set minio.backupBucketName (v2: backup.storage.bucketName)', 'storage-config');
  }
  const store = createObjectStore(s, { multipartCopyThresholdMiB: config.transfer.multipartCopyThresholdMiB });
  return {
    store,
    bucket: local ? s.bucketName || 'local' : s.bucketName,
    rootPath: local ? '' : s.rootPath,
    describe: local ? (prefix) => `directory "${join(s.rootPath || '.', prefix)}"` : undefined,
    close: () => store.close(),
  };
}
