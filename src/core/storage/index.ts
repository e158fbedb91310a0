import { IamAwsProvider } from 'minio';
import { UserError } from '../errors';
import type { StorageConfig } from '../config/types';
import { checkBucketName } from './bucketName';
import type { StoreConcurrency } from './limits';
import { LocalStore } from './localStore';
import { MinioStore, type RetrySettings } from './minioStore';
import type { ObjectStore } from './objectStore';

export type { ObjectStore, ObjectInfo, ListEntry, ListOptions, OpOptions } from './objectStore';
export { copyBetween, type CopyBetweenOptions } from './copyBetween';
export { StorageError, isRetryableStorageError } from './storageError';
export { bucketNameProblem, checkBucketName } from './bucketName';
export { compareKeys } from './keyOrder';
export { LocalStore } from './localStore';
export { MinioStore } from './minioStore';
export { DEFAULT_CONCURRENCY, type StoreConcurrency } from './limits';

interface CreateStoreOptions {
  /** `transfer.multipartCopyThresholdMiB` (default 500). */
  multipartCopyThresholdMiB?: number;
  concurrency?: Partial<StoreConcurrency>;
  retry?: Partial<RetrySettings>;
  onRetry?: (message: string) => void;
}

/** Where each provider's S3 endpoint is when the config leaves the address empty. */
const DEFAULT_ENDPOINT: Partial<Record<StorageConfig['provider'], string>> = {
  aws: 's3.amazonaws.com',
  s3: 's3.amazonaws.com',
  gcp: 'storage.googleapis.com',
};

/**
 * Builds the store for one side of the config (`milvus.storage` or `backup.storage`), following the Go
 * tool's provider table (Go `internal/cfg/storage_types.go`, `internal/storage/factory.go`). Checks the bucket name up front so `bucket_A` fails with advice before any
 * request. `azure` and `gcpnative` are not implemented yet and say so.
 */
export function createObjectStore(cfg: StorageConfig, o: CreateStoreOptions = {}): ObjectStore {
  const provider = cfg.provider;
  if (provider === 'local') {
    return new LocalStore({ root: cfg.rootPath || '.', buckets: 'ignore' });
  }
  if (provider === 'azure' || provider === 'gcpnative') {
    throw new UserError(
      `storage type "${provider}" is not supported yet by this tool; use an S3-compatible provider (minio, s3, aws, gcp with HMAC keys, aliyun, tencent, hwc) or local`,
      'storage-unsupported',
    );
  }
  if (!['minio', 's3', 'aws', 'gcp', 'aliyun', 'tencent', 'hwc'].includes(provider)) {
    throw new UserError(`storage: unsupported storage type "${String(provider)}"`, 'storage-unsupported');
  }
  if (cfg.bucketName) checkBucketName(provider, cfg.bucketName);
  const address = cfg.address || DEFAULT_ENDPOINT[provider] || '';
  if (!address) throw new UserError(`storage: the ${provider} address is empty`, 'storage-config');
  const iam = cfg.auth.type === 'iam';
  if (iam && provider !== 'aws' && provider !== 's3' && provider !== 'minio') {
    throw new UserError(`storage: IAM authentication for "${provider}" is not supported yet; use static access keys`, 'storage-unsupported');
  }
  if (!iam && (!cfg.auth.accessKeyID || !cfg.auth.secretAccessKey)) {
    throw new UserError(`storage: ${provider} needs an access key id and a secret access key`, 'storage-config');
  }
  return new MinioStore({
    provider,
    endPoint: address,
    port: cfg.port || undefined,
    useSSL: cfg.useSSL,
    // GCS's S3 interop wants region "auto" (the Go tool forces it)
    region: provider === 'gcp' ? 'auto' : cfg.region,
    accessKey: iam ? '' : cfg.auth.accessKeyID,
    secretKey: iam ? '' : cfg.auth.secretAccessKey,
    sessionToken: cfg.auth.sessionToken || undefined,
    credentialsProvider: iam ? new IamAwsProvider({ customEndpoint: cfg.auth.endpoint || undefined }) : undefined,
    // OSS and COS address buckets as virtual hosts only
    pathStyle: !(provider === 'aliyun' || provider === 'tencent'),
    multipartCopy: provider !== 'gcp',
    multipartCopyThresholdMiB: o.multipartCopyThresholdMiB,
    concurrency: o.concurrency,
    retry: o.retry,
    onRetry: o.onRetry,
  });
}
