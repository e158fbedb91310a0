import { IamAwsProvider } from 'minio';
import { UserError } from '../errors';
import type { StorageConfig } from '../config/types';
import { checkBucketName } from './bucketName';
import type { StoreConcurrency } from './limits';
import { AzureStore, azureServiceUrl } from './azureStore';
import { GcsStore, gcsApiEndpoint } from './gcsStore';
import { LocalStore } from './localStore';
import { MinioStore } from './minioStore';
import type { RetrySettings } from './retrySettings';
import type { ObjectStore } from './objectStore';
import { unsupportedAuth } from './support';

export type { ObjectStore, ObjectInfo, ListEntry, ListOptions, OpOptions } from './objectStore';
export { copyBetween, type CopyBetweenOptions } from './copyBetween';
export { StorageError, isRetryableStorageError } from './storageError';
export { bucketNameProblem, checkBucketName } from './bucketName';
export { compareKeys } from './keyOrder';
export { unsupportedAuth } from './support';
export { LocalStore } from './localStore';
export { MinioStore } from './minioStore';
export { AzureStore } from './azureStore';
export { GcsStore } from './gcsStore';
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
 * request. `azure` and `gcpnative` get the SDK-backed stores (their SDKs load on the first request).
 */
export function createObjectStore(cfg: StorageConfig, o: CreateStoreOptions = {}): ObjectStore {
  const provider = cfg.provider;
  if (provider === 'local') {
    return new LocalStore({ root: cfg.rootPath || '.', buckets: 'ignore' });
  }
  if (provider === 'azure') return createAzureStore(cfg, o);
  if (provider === 'gcpnative') return createGcsStore(cfg, o);
  if (!['minio', 's3', 'aws', 'gcp', 'aliyun', 'tencent', 'hwc'].includes(provider)) {
    throw new UserError(`storage: unsupported storage type "${String(provider)}"`, 'storage-unsupported');
  }
  if (cfg.bucketName) checkBucketName(provider, cfg.bucketName);
  const address = cfg.address || DEFAULT_ENDPOINT[provider] || '';
  if (!address) throw new UserError(`storage: the ${provider} address is empty`, 'storage-config');
  // `default` is the SDK's own credential chain, which for S3 is the IAM provider (the Go tool: factory.go newCredential)
  const iam = cfg.auth.type === 'iam' || cfg.auth.type === 'default';
  const unsupported = unsupportedAuth(provider, cfg.auth.type);
  if (unsupported) throw new UserError(`storage: ${unsupported}`, 'storage-unsupported');
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

/**
 * Azure (the Go tool's keys: accountName, auth sharedKey + accountKey, or `default`/`useIAM` for
 * DefaultAzureCredential; bucket = container). Config checks already require the name and key.
 */
function createAzureStore(cfg: StorageConfig, o: CreateStoreOptions): AzureStore {
  if (cfg.bucketName) checkBucketName('azure', cfg.bucketName);
  if (!cfg.accountName) throw new UserError('storage: azure needs the storage account name (accountName)', 'storage-config');
  const sharedKey = cfg.auth.type !== 'default' && cfg.auth.type !== 'iam';
  if (sharedKey && !cfg.auth.accountKey) throw new UserError('storage: azure shared-key authentication needs the account key (auth.accountKey)', 'storage-config');
  return new AzureStore({
    serviceUrl: azureServiceUrl(cfg.address, cfg.port, cfg.useSSL, cfg.accountName),
    accountName: cfg.accountName,
    accountKey: sharedKey ? cfg.auth.accountKey : undefined,
    multipartCopyThresholdMiB: o.multipartCopyThresholdMiB,
    concurrency: o.concurrency,
    retry: o.retry,
    onRetry: o.onRetry,
  });
}

/** GCS over its JSON API: a service-account key file (`serviceAccount`) or Application Default Credentials. */
function createGcsStore(cfg: StorageConfig, o: CreateStoreOptions): GcsStore {
  if (cfg.bucketName) checkBucketName('gcpnative', cfg.bucketName);
  if (cfg.auth.type === 'serviceAccount' && !cfg.auth.credentialsFile) {
    throw new UserError('storage: gcpnative needs the path of a service-account JSON key (auth.credentialsFile)', 'storage-config');
  }
  return new GcsStore({
    apiEndpoint: gcsApiEndpoint(cfg.address, cfg.port, cfg.useSSL),
    credentialsFile: cfg.auth.type === 'serviceAccount' ? cfg.auth.credentialsFile : undefined,
    concurrency: o.concurrency,
    retry: o.retry,
    onRetry: o.onRetry,
  });
}
