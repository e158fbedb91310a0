import { join, posix } from 'node:path';
import type { ResolvedConfig, StorageConfig } from '../config/types';
import { UserError } from '../errors';
import { createObjectStore, type ObjectStore } from '../storage';

/**
 * A place in object storage: a store, a bucket in it and a root path inside the bucket — the Milvus bucket
 * (root = Milvus's rootPath, read by create, staged into by restore) or the backup bucket (root = the backup
 * root). Every module that reads or writes objects takes one of these.
 */
export interface Location {
  store: ObjectStore;
  bucket: string;
  /** root path inside the bucket: Milvus's rootPath on the Milvus side, the backup root on the backup side */
  rootPath: string;
  /**
   * How to name a prefix of this location in messages; default `bucket "<bucket>" at "<prefix>"`. The local
   * provider names the directory instead (its bucket is meaningless).
   */
  describe?: (prefix: string) => string;
}

/** A Location that owns its store: `close()` releases the store's sockets/handles. */
export interface OpenLocation extends Location {
  close(): Promise<void>;
}

/**
 * The local-provider rule. For `local` the store is rooted at `rootPath` itself (keys are paths under it, as in
 * the Go tool), so the in-store root is empty, and the bucket name (meaningless there) defaults to `local`.
 */
export function isLocalProvider(s: Pick<StorageConfig, 'provider'>): boolean {
  return s.provider === 'local';
}

/** The Location of `s` in `store` (see isLocalProvider). */
export function locationOf(store: ObjectStore, s: StorageConfig): Location {
  if (!isLocalProvider(s)) return { store, bucket: s.bucketName, rootPath: s.rootPath };
  return { store, bucket: s.bucketName || 'local', rootPath: '', describe: (prefix) => `directory "${join(s.rootPath || '.', prefix)}"` };
}

/** A prefix of the location, for messages. */
export function describeLocation(loc: Location, prefix: string): string {
  return loc.describe ? loc.describe(prefix) : `bucket "${loc.bucket}" at "${prefix}"`;
}

/**
 * Where a local Milvus reads import paths from: its `localPath` (or rootPath) prefixed to each key, since a
 * local Milvus resolves paths against its own directory; undefined for object-storage Milvus.
 */
export function milvusLocalRoot(s: StorageConfig): string | undefined {
  return isLocalProvider(s) ? s.localPath || s.rootPath : undefined;
}

/** Opens the store of one side of the config; a non-local side needs a bucket name. */
export function openStore(config: ResolvedConfig, side: 'milvus' | 'backup'): ObjectStore {
  const s = side === 'milvus' ? config.milvus.storage : config.backup.storage;
  if (!isLocalProvider(s) && !s.bucketName) {
    const key = side === 'milvus' ? 'minio.bucketName (v2: milvus.storage.bucketName)' : 'minio.backupBucketName (v2: backup.storage.bucketName)';
    throw new UserError(`the ${side === 'milvus' ? 'Milvus' : 'backup'} bucket name is empty: set ${key}`, 'storage-config');
  }
  return createObjectStore(s, { multipartCopyThresholdMiB: config.transfer.multipartCopyThresholdMiB });
}

/** One side of the config as a Location that owns its store. */
export function openLocation(config: ResolvedConfig, side: 'milvus' | 'backup'): OpenLocation {
  const store = openStore(config, side);
  return { ...locationOf(store, side === 'milvus' ? config.milvus.storage : config.backup.storage), close: () => store.close() };
}

/**
 * The path an import job names for `key` (a Milvus-bucket key): under the local root for a local Milvus.
 * (`posix.join` keeps a directory key's trailing `/`.)
 */
export function milvusImportPath(localRoot: string | undefined, key: string): string {
  return localRoot === undefined ? key : posix.join(localRoot, key);
}
