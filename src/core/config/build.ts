/**
 * Builds the normalized, v2-shaped ResolvedConfig from resolved parameter values: directly for a v2 file,
 * through the Go tool's v1 → v2 translation (`internal/cfg/migrate`, loader path) for a v1 file.
 */
import { splitList } from './coerce';
import type { ParamValue } from './params';
import { V1_PROVIDER_ALIASES } from './params';
import type { AuthType, ResolvedConfig, StorageConfig, StorageProvider, TlsMode } from './types';

type Values = Map<string, ParamValue>;
const s = (v: Values, k: string): string => String(v.get(k) ?? '');
const n = (v: Values, k: string): number => Number(v.get(k) ?? 0);
const b = (v: Values, k: string): boolean => Boolean(v.get(k));

/** v1 provider spelling → v2 (lower-cased; ali/alibaba/alicloud → aliyun, tc → tencent). */
function canonicalProvider(p: string): string {
  const l = p.toLowerCase();
  return V1_PROVIDER_ALIASES[l] ?? l;
}

/**
 * The v2 defaults the Go tool translates a v1 storage side onto (`param.Defaults`): fields the provider does not
 * use keep them, so a translated config equals the one its migrated v2 file loads to.
 */
function defaultAuth(type: AuthType): StorageConfig['auth'] {
  return { type, accessKeyID: 'minioadmin', secretAccessKey: 'minioadmin', sessionToken: '', accountKey: '', credentialsFile: '', endpoint: '' };
}

// ------------------------------------------------------------------------------------------------ v2

function v2Storage(v: Values, p: string): StorageConfig {
  const provider = s(v, `${p}.provider`) as StorageProvider;
  const rootPath = s(v, `${p}.rootPath`);
  return {
    provider,
    address: s(v, `${p}.address`),
    port: n(v, `${p}.port`),
    region: s(v, `${p}.region`),
    useSSL: b(v, `${p}.useSSL`),
    accountName: s(v, `${p}.accountName`),
    bucketName: s(v, `${p}.bucketName`),
    rootPath,
    localPath: s(v, `${p}.localPath`) || (provider === 'local' ? rootPath : ''),
    milvusAddress: s(v, `${p}.milvusAddress`),
    milvusPort: n(v, `${p}.milvusPort`),
    auth: {
      type: s(v, `${p}.auth.type`) as AuthType,
      accessKeyID: s(v, `${p}.auth.accessKeyID`),
      secretAccessKey: s(v, `${p}.auth.secretAccessKey`),
      sessionToken: s(v, `${p}.auth.sessionToken`),
      accountKey: s(v, `${p}.auth.accountKey`),
      credentialsFile: s(v, `${p}.auth.credentialsFile`),
      endpoint: s(v, `${p}.auth.endpoint`),
    },
  };
}

export function buildV2(v: Values, version: ResolvedConfig['sourceVersion'], file?: string): ResolvedConfig {
  return {
    sourceVersion: version,
    ...(file ? { file } : {}),
    log: {
      level: s(v, 'log.level'),
      console: b(v, 'log.console'),
      file: { path: s(v, 'log.file.path'), maxSizeMiB: n(v, 'log.file.maxSizeMiB'), maxDays: n(v, 'log.file.maxDays'), maxBackups: n(v, 'log.file.maxBackups') },
    },
    server: { debugMode: b(v, 'server.debugMode'), swaggerBasePath: s(v, 'server.swaggerBasePath') },
    milvus: {
      user: s(v, 'milvus.user'),
      password: s(v, 'milvus.password'),
      grpc: {
        address: s(v, 'milvus.grpc.address'),
        port: n(v, 'milvus.grpc.port'),
        tlsMode: s(v, 'milvus.grpc.tlsMode') as TlsMode,
        caCertPath: s(v, 'milvus.grpc.caCertPath'),
        serverName: s(v, 'milvus.grpc.serverName'),
        mtlsCertPath: s(v, 'milvus.grpc.mtlsCertPath'),
        mtlsKeyPath: s(v, 'milvus.grpc.mtlsKeyPath'),
      },
      rest: { endpoint: s(v, 'milvus.rest.endpoint') },
      management: { endpoint: s(v, 'milvus.management.endpoint') },
      replicate: { rpcChannelName: s(v, 'milvus.replicate.rpcChannelName') },
      etcd: { endpoints: [...((v.get('milvus.etcd.endpoints') as string[] | undefined) ?? [])], rootPath: s(v, 'milvus.etcd.rootPath') },
      storage: v2Storage(v, 'milvus.storage'),
    },
    backup: {
      storage: v2Storage(v, 'backup.storage'),
      concurrency: { collections: n(v, 'backup.concurrency.collections'), segments: n(v, 'backup.concurrency.segments') },
      pauseGC: b(v, 'backup.pauseGC'),
    },
    restore: {
      concurrency: { collections: n(v, 'restore.concurrency.collections'), importJobs: n(v, 'restore.concurrency.importJobs') },
      maxSegmentsPerImportJob: n(v, 'restore.maxSegmentsPerImportJob'),
      keepTempFiles: b(v, 'restore.keepTempFiles'),
    },
    transfer: {
      mode: s(v, 'transfer.mode') as ResolvedConfig['transfer']['mode'],
      concurrency: n(v, 'transfer.concurrency'),
      multipartCopyThresholdMiB: n(v, 'transfer.multipartCopyThresholdMiB'),
    },
    zillizCloud: { endpoint: s(v, 'zillizCloud.endpoint'), apiKey: s(v, 'zillizCloud.apiKey') },
  };
}

// ------------------------------------------------------------------------------------------------ v1

/** The v1 TLS mode → v2 name; 2 without a client key pair is server TLS (v1's silent downgrade). */
function v1TlsMode(mode: number, cert: string, key: string): TlsMode {
  if (mode === 1) return 'server';
  if (mode === 2) return cert !== '' && key !== '' ? 'mutual' : 'server';
  return 'disabled';
}

function v1Storage(v: Values, side: 'milvus' | 'backup'): StorageConfig {
  const k = (f: string) => (side === 'milvus' ? `minio.${f}` : `minio.backup${f[0].toUpperCase()}${f.slice(1)}`);
  const provider = canonicalProvider(s(v, side === 'milvus' ? 'minio.storageType' : 'minio.backupStorageType')) as StorageProvider;
  const rootPath = s(v, k('rootPath'));
  const accessKeyID = s(v, k('accessKeyID'));
  const secret = s(v, k('secretAccessKey'));
  const useIAM = b(v, k('useIAM'));
  const out: StorageConfig = {
    provider,
    address: s(v, k('address')),
    port: n(v, k('port')),
    region: s(v, k('region')),
    useSSL: b(v, k('useSSL')),
    accountName: '',
    bucketName: s(v, k('bucketName')),
    rootPath,
    localPath: provider === 'local' ? rootPath : '',
    milvusAddress: '',
    milvusPort: 0,
    auth: defaultAuth('static'),
  };
  // Mirrors migrateStorageSide: which credential fields carry over depends on the provider.
  if (provider === 'local') {
    // a directory: no endpoint, no credentials (auth stays static and empty, like the Go defaults it ignores)
  } else if (provider === 'azure') {
    out.accountName = accessKeyID;
    if (useIAM) out.auth.type = 'default';
    else {
      out.auth.type = 'sharedKey';
      out.auth.accountKey = secret;
    }
  } else if (provider === 'gcpnative') {
    out.auth.type = 'serviceAccount';
    out.auth.credentialsFile = s(v, k('gcpCredentialJSON'));
  } else if (useIAM) {
    out.auth.type = 'iam';
    out.auth.endpoint = s(v, k('iamEndpoint'));
  } else {
    out.auth.accessKeyID = accessKeyID;
    out.auth.secretAccessKey = secret;
    out.auth.sessionToken = s(v, side === 'milvus' ? 'minio.token' : 'minio.backupToken');
  }
  return out;
}

export function buildV1(v: Values, file?: string): ResolvedConfig {
  return {
    sourceVersion: 'v1',
    ...(file ? { file } : {}),
    log: {
      level: s(v, 'log.level'),
      console: b(v, 'log.console'),
      file: { path: s(v, 'log.file.filename'), maxSizeMiB: n(v, 'log.file.maxSize'), maxDays: n(v, 'log.file.maxDays'), maxBackups: n(v, 'log.file.maxBackups') },
    },
    server: { debugMode: b(v, 'http.debugMode'), swaggerBasePath: s(v, 'http.swaggerBasePath') },
    milvus: {
      user: s(v, 'milvus.user'),
      password: s(v, 'milvus.password'),
      grpc: {
        address: s(v, 'milvus.address'),
        port: n(v, 'milvus.port'),
        tlsMode: v1TlsMode(n(v, 'milvus.tlsMode'), s(v, 'milvus.mtlsCertPath'), s(v, 'milvus.mtlsKeyPath')),
        caCertPath: s(v, 'milvus.caCertPath'),
        serverName: s(v, 'milvus.serverName'),
        mtlsCertPath: s(v, 'milvus.mtlsCertPath'),
        mtlsKeyPath: s(v, 'milvus.mtlsKeyPath'),
      },
      rest: { endpoint: '' },
      management: { endpoint: s(v, 'backup.gcPause.address') },
      replicate: { rpcChannelName: s(v, 'milvus.rpcChannelName') },
      etcd: { endpoints: splitList(s(v, 'milvus.etcd.endpoints')), rootPath: s(v, 'milvus.etcd.rootPath') },
      storage: v1Storage(v, 'milvus'),
    },
    backup: {
      storage: v1Storage(v, 'backup'),
      concurrency: { collections: n(v, 'backup.parallelism.backupCollection'), segments: n(v, 'backup.parallelism.backupSegment') },
      pauseGC: b(v, 'backup.gcPause.enable'),
    },
    restore: {
      concurrency: { collections: n(v, 'backup.parallelism.restoreCollection'), importJobs: n(v, 'backup.parallelism.importJob') },
      maxSegmentsPerImportJob: 256,
      keepTempFiles: b(v, 'backup.keepTempFiles'),
    },
    transfer: {
      mode: b(v, 'minio.crossStorage') ? 'streaming' : 'auto',
      concurrency: n(v, 'backup.parallelism.copydata'),
      multipartCopyThresholdMiB: n(v, 'minio.multipartCopyThresholdMiB'),
    },
    zillizCloud: { endpoint: s(v, 'cloud.address'), apiKey: s(v, 'cloud.apikey') },
  };
}
