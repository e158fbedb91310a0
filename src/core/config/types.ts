/**
 * The normalized configuration every part of the engine reads. It has the shape of the Go tool's v2 schema
 * (Go `internal/cfg/v2/cfg.go`); a v1 `backup.yaml` is translated into it as the Go tool's main branch does (Go `internal/cfg/v2/legacy.go`).
 * Produced only by `loadConfig` in this folder, which also reports problems as data.
 */

export type StorageProvider =
  | 'minio' | 's3' | 'aws' | 'gcp' | 'gcpnative' | 'aliyun' | 'tencent' | 'azure' | 'hwc' | 'local';

export type AuthType = 'static' | 'iam' | 'default' | 'sharedKey' | 'serviceAccount';

export interface StorageAuth {
  type: AuthType;
  accessKeyID: string;
  secretAccessKey: string;
  sessionToken: string;
  /** azure sharedKey */
  accountKey: string;
  /** gcpnative serviceAccount: path of the service-account JSON file */
  credentialsFile: string;
  /** IAM endpoint (optional) */
  endpoint: string;
}

export interface StorageConfig {
  provider: StorageProvider;
  address: string;
  port: number;
  region: string;
  useSSL: boolean;
  /** azure only */
  accountName: string;
  bucketName: string;
  rootPath: string;
  /** local only: the path the Milvus process sees (the loader fills in rootPath when the file leaves it empty); '' otherwise */
  localPath: string;
  /** Host (no scheme) Milvus itself uses to reach this storage when it differs from `address` (v2 only; '' = none). */
  milvusAddress?: string;
  /** Port Milvus itself uses (needs milvusAddress; 0 = same as `port`). */
  milvusPort?: number;
  auth: StorageAuth;
}

export type TlsMode = 'disabled' | 'server' | 'mutual';

export interface MilvusConfig {
  user: string;
  password: string;
  grpc: {
    address: string;
    port: number;
    tlsMode: TlsMode;
    caCertPath: string;
    serverName: string;
    mtlsCertPath: string;
    mtlsKeyPath: string;
  };
  /** REST endpoint; "" means derived from the gRPC address and port (same port as gRPC, like Milvus's proxy). */
  rest: { endpoint: string };
  /** Management HTTP API (Milvus: 9091), used for GC pause/resume. */
  management: { endpoint: string };
  replicate: { rpcChannelName: string };
  etcd: { endpoints: string[]; rootPath: string };
  storage: StorageConfig;
}

export interface ResolvedConfig {
  /** 'v1' when the file had no configVersion (or v1), 'v2' otherwise; 'none' when no file was read. */
  sourceVersion: 'v1' | 'v2' | 'none';
  /** The file read, if any. */
  file?: string;
  log: { level: string; console: boolean; file: { path: string; maxSizeMiB: number; maxDays: number; maxBackups: number } };
  /** The REST server of the Go tool (v1 `http.debugMode` / `http.swaggerBasePath`). */
  server?: { debugMode: boolean; swaggerBasePath: string };
  milvus: MilvusConfig;
  backup: {
    storage: StorageConfig;
    concurrency: { collections: number; segments: number };
    pauseGC: boolean;
  };
  restore: {
    concurrency: { collections: number; importJobs: number };
    maxSegmentsPerImportJob: number;
    keepTempFiles: boolean;
  };
  transfer: {
    mode: 'auto' | 'direct' | 'streaming';
    concurrency: number;
    multipartCopyThresholdMiB: number;
  };
  zillizCloud: { endpoint: string; apiKey: string };
}
