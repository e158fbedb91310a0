/**
 * The parameter tables of both `backup.yaml` schemas, restated from the Go tool's `internal/cfg` (v1) and
 * `internal/cfg/v2` (v2): every key, the env vars that can set it, its type, default and what it inherits.
 * The loader resolves from these tables, the validator checks against them, and the JSON Schema in
 * `schemas/backup.schema.json` is generated from them (see schemaGen.ts), so the three cannot drift.
 */

/** Go value kinds: `int` and `int64` both parse with strconv.ParseInt; `list` is a v2 YAML list. */
export type ParamType = 'string' | 'bool' | 'int' | 'int64' | 'list';
export type ParamValue = string | number | boolean | string[];

export interface ParamSpec {
  /** The canonical key, spelled as documented (camelCase); `sources` and `config show` use it. */
  name: string;
  /** Every config key read for this value, in the Go tool's lookup order (the first present wins). */
  keys: string[];
  /** Environment variable names (v1: most keys; v2: credentials only). */
  env: string[];
  type: ParamType;
  default: ParamValue;
  /** The default is the resolved value of this parameter (the backup side inheriting the Milvus side). */
  inherit?: string;
  /** With `inherit`: used when the inherited value is empty (v1 `backupRootPath` falls back to `backup`). */
  inheritFallback?: string;
  secret?: boolean;
  /** Allowed values (v2 enums, matched case-insensitively like the Go tool). */
  enum?: string[];
  /** 'port' = 1..65535, 'positive' = > 0 (checked on the resolved config, not here). */
  range?: 'port' | 'positive';
  doc: string;
  /** Version note, e.g. 'v0.5.7+'. */
  since?: string;
}

/** A key a schema no longer (or never) reads, or reads under a deprecated spelling. */
export interface ObsoleteKey {
  key: string;
  /** The key to use instead; absent when the setting was removed outright. */
  replacement?: string;
  /** True when this loader still reads the old spelling (as a fallback after the new one). */
  read: boolean;
  note: string;
}

const str = (name: string, def: string, doc: string, extra: Partial<ParamSpec> = {}): ParamSpec => ({
  name, keys: [name], env: [], type: 'string', default: def, doc, ...extra,
});
const bool = (name: string, def: boolean, doc: string, extra: Partial<ParamSpec> = {}): ParamSpec => ({
  name, keys: [name], env: [], type: 'bool', default: def, doc, ...extra,
});
const int = (name: string, def: number, doc: string, extra: Partial<ParamSpec> = {}): ParamSpec => ({
  name, keys: [name], env: [], type: 'int', default: def, doc, ...extra,
});

/** One-line docs of the sections (mapping keys) of both schemas, for the schema, hover and completion. */
export const SECTION_DOCS: Record<string, string> = {
  log: 'Log output of milvus-backup.',
  'log.file': 'Log file and its rotation.',
  http: 'The REST server (`milvus-backup server`). v2: `server`.',
  server: 'The REST server (`milvus-backup server`).',
  cloud: 'Zilliz Cloud control plane (migration to Zilliz Cloud). v2: `zillizCloud`.',
  zillizCloud: 'Zilliz Cloud control plane (migration to Zilliz Cloud).',
  milvus: 'The Milvus deployment to back up or restore into.',
  'milvus.etcd': 'Direct access to the Milvus metadata store (only for extra index metadata).',
  'milvus.grpc': 'The Milvus proxy gRPC endpoint.',
  'milvus.rest': 'The Milvus REST endpoint.',
  'milvus.management': 'The Milvus management HTTP endpoint (GC pause).',
  'milvus.replicate': 'Milvus 2.5 CDC replicate channel.',
  'milvus.storage': 'The object storage of the Milvus deployment (must match Milvus’s own settings).',
  'milvus.storage.auth': 'How milvus-backup authenticates to the Milvus storage.',
  minio: 'Object storage: the Milvus side (`address`, `bucketName`, …) and the backup side (`backup*`, inheriting the Milvus side). v2: `milvus.storage` and `backup.storage`.',
  storage: 'Storage type keys that take precedence over `minio.storageType` / `minio.backupStorageType`.',
  backup: 'Backup behaviour.',
  'backup.parallelism': 'Concurrency limits. v2: `backup.concurrency`, `restore.concurrency`, `transfer.concurrency`.',
  'backup.gcPause': 'Pausing Milvus garbage collection during a backup. v2: `backup.pauseGC`, `milvus.management.endpoint`.',
  'backup.storage': 'The object storage the backups are written to; every unset field except `rootPath`, `localPath`, `milvusAddress` and `milvusPort` inherits `milvus.storage`.',
  'backup.storage.auth': 'How milvus-backup authenticates to the backup storage.',
  'backup.concurrency': 'Backup concurrency.',
  restore: 'Restore behaviour.',
  'restore.concurrency': 'Restore concurrency.',
  transfer: 'How objects are copied between storages.',
};

// ---------------------------------------------------------------------------------------------- v1

/** v1 (every released version; `internal/cfg/cfg.go`), in the Go tool's resolution order. */
export const V1_PARAMS: readonly ParamSpec[] = [
  str('log.level', 'info', 'Log level: `debug`, `info`, `warn`, `error`, `panic` or `fatal`.'),
  bool('log.console', true, 'Also write the log to stdout.'),
  str('log.file.filename', 'logs/backup.log', 'Log file path.', {
    keys: ['log.file.filename', 'log.file.rootPath'], since: 'v0.5.9+ (was `log.file.rootPath`)',
  }),
  int('log.file.maxSize', 300, 'Log file size (MB) that triggers rotation.'),
  int('log.file.maxDays', 0, 'Days a rotated log file is kept (0 = keep).', { keys: ['log.file.maxDays', 'log.file.maxAge'] }),
  int('log.file.maxBackups', 0, 'Rotated log files kept (0 = all).'),

  bool('http.enabled', true, 'Parsed but unused by the Go tool (dropped in v2).'),
  bool('http.debugMode', false, 'Run the REST server in gin debug mode.', {
    keys: ['http.debugMode', 'http.debug_mode'], since: 'v0.5.13+ (was `http.debug_mode`)',
  }),
  str('http.swaggerBasePath', '', 'Swagger base path when the REST API is served behind a reverse proxy.', { since: 'v0.5.13+' }),

  str('cloud.address', 'https://api.cloud.zilliz.com', 'Zilliz Cloud control-plane URL (migration to Zilliz Cloud).', { since: 'v0.5.7+' }),
  str('cloud.apikey', '', 'Zilliz Cloud API key.', { secret: true, since: 'v0.5.7+' }),

  str('milvus.address', 'localhost', 'Milvus proxy host (gRPC; the REST endpoint uses the same host and port).', { env: ['MILVUS_ADDRESS'] }),
  int('milvus.port', 19530, 'Milvus proxy port.', { env: ['MILVUS_PORT'], range: 'port' }),
  str('milvus.user', '', 'Milvus user (when authentication is enabled).', { env: ['MILVUS_USER'] }),
  str('milvus.password', '', 'Milvus password.', { env: ['MILVUS_PASSWORD'], secret: true }),
  int('milvus.tlsMode', 0, 'TLS to Milvus: `0` plaintext, `1` verify the server, `2` mutual TLS (without `mtlsCertPath`/`mtlsKeyPath` the Go tool silently uses `1`).', {
    env: ['MILVUS_TLS_MODE'],
  }),
  str('milvus.caCertPath', '', 'CA certificate (PEM) used to verify the Milvus server (tlsMode 1 or 2).', {
    env: ['MILVUS_CA_CERT_PATH'], keys: ['milvus.caCertPath', 'milvus.tlsCertPath'], since: 'v0.5.0+ (was `milvus.tlsCertPath`)',
  }),
  str('milvus.serverName', '', 'TLS server name (SNI and certificate check).', { env: ['MILVUS_SERVER_NAME'] }),
  str('milvus.mtlsCertPath', '', 'Client certificate for mutual TLS (tlsMode 2).', { env: ['MILVUS_MTLS_CERT_PATH'], since: 'v0.5.0+' }),
  str('milvus.mtlsKeyPath', '', 'Client key for mutual TLS (tlsMode 2).', { env: ['MILVUS_MTLS_KEY_PATH'], since: 'v0.5.0+' }),
  str('milvus.rpcChannelName', 'by-dev-replicate-msg', 'Replicate message channel (Milvus 2.5 CDC only).', { env: ['MILVUS_RPC_CHANNEL_NAME'], since: 'v0.5.4+' }),
  str('milvus.etcd.endpoints', 'localhost:2379', 'Milvus etcd endpoints, comma-separated (only used with `--backup_index_extra`).', { since: 'v0.5.10+' }),
  str('milvus.etcd.rootPath', 'by-dev', 'Milvus etcd root path.', { since: 'v0.5.10+' }),

  str('minio.storageType', 'minio', 'Storage provider of the Milvus deployment: `local`, `minio`, `s3`, `aws`, `gcp`, `gcpnative`, `ali`/`aliyun`/`alibaba`/`alicloud`, `azure`, `tc`/`tencent`, `hwc`. Read from `storage.storageType`, then `minio.storageType`, then the deprecated `minio.cloudProvider`.', {
    keys: ['storage.storageType', 'minio.storageType', 'minio.cloudProvider'],
  }),
  str('minio.address', 'localhost', 'Storage endpoint host of the Milvus deployment. **azure:** the service suffix, `core.windows.net` → `https://<account>.blob.core.windows.net` (an IP or `localhost`: Azurite\'s `http://HOST:PORT/<account>`); **gcpnative:** empty or `storage.googleapis.com` for the public service, else an emulator or private endpoint.', { env: ['MINIO_ADDRESS'] }),
  int('minio.port', 9000, 'Storage endpoint port.', { env: ['MINIO_PORT'], range: 'port' }),
  str('minio.region', '', 'Storage region.', { env: ['MINIO_REGION'], since: 'v0.5.7+' }),
  str('minio.accessKeyID', 'minioadmin', 'Access key ID; **for azure: the storage account name**.', { env: ['MINIO_ACCESS_KEY'] }),
  str('minio.secretAccessKey', 'minioadmin', 'Secret access key; **for azure: the account key**.', { env: ['MINIO_SECRET_KEY'], secret: true }),
  str('minio.token', '', 'Session token.', { env: ['MINIO_TOKEN'], secret: true, since: 'v0.5.7+' }),
  str('minio.gcpCredentialJSON', '', '**Path** of the GCP service-account JSON file (only `gcpnative` reads it).', {
    env: ['GCP_KEY_JSON'], secret: true, since: 'v0.5.4+',
  }),
  bool('minio.useSSL', false, 'Use HTTPS.', { env: ['MINIO_USE_SSL'] }),
  str('minio.bucketName', 'a-bucket', 'Bucket Milvus stores its data in (must match the Milvus deployment).', { env: ['MINIO_BUCKET_NAME'] }),
  str('minio.rootPath', 'files', 'Milvus root path inside the bucket (must match the Milvus deployment; `""`, `files` and `/files` all differ).', { env: ['MINIO_ROOT_PATH'] }),
  bool('minio.useIAM', false, 'Use IAM / instance credentials (azure: DefaultAzureCredential; gcp: metadata token).', { env: ['MINIO_USE_IAM'] }),
  str('minio.iamEndpoint', '', 'IAM endpoint (MinIO STS etc.).', { env: ['MINIO_IAM_ENDPOINT'] }),

  str('minio.backupStorageType', '', 'Storage provider of the backup side; inherits `minio.storageType`.', {
    keys: ['storage.backupStorageType', 'minio.backupStorageType'], inherit: 'minio.storageType', since: 'v0.4.21+',
  }),
  str('minio.backupAddress', '', 'Backup storage host; inherits `minio.address`.', { env: ['MINIO_BACKUP_ADDRESS'], inherit: 'minio.address', since: 'v0.4.21+' }),
  int('minio.backupPort', 0, 'Backup storage port; inherits `minio.port`.', { env: ['MINIO_BACKUP_PORT'], inherit: 'minio.port', range: 'port', since: 'v0.4.21+' }),
  str('minio.backupRegion', '', 'Backup storage region; inherits `minio.region`.', { env: ['MINIO_BACKUP_REGION'], inherit: 'minio.region', since: 'v0.5.7+' }),
  str('minio.backupAccessKeyID', '', 'Backup storage access key ID (azure: account name); inherits `minio.accessKeyID`.', {
    env: ['MINIO_BACKUP_ACCESS_KEY'], inherit: 'minio.accessKeyID',
  }),
  str('minio.backupSecretAccessKey', '', 'Backup storage secret (azure: account key); inherits `minio.secretAccessKey`.', {
    env: ['MINIO_BACKUP_SECRET_KEY'], inherit: 'minio.secretAccessKey', secret: true,
  }),
  str('minio.backupToken', '', 'Backup storage session token; inherits `minio.token`.', { env: ['MINIO_BACKUP_TOKEN'], inherit: 'minio.token', secret: true, since: 'v0.5.7+' }),
  str('minio.backupGcpCredentialJSON', '', 'Path of the backup side GCP service-account JSON file (`gcpnative`); **not** inherited.', {
    env: ['BACKUP_GCP_KEY_JSON'], secret: true, since: 'v0.5.4+',
  }),
  bool('minio.backupUseSSL', false, 'Backup storage uses HTTPS; inherits `minio.useSSL`.', { env: ['MINIO_BACKUP_USE_SSL'], inherit: 'minio.useSSL', since: 'v0.5.0+' }),
  str('minio.backupBucketName', '', 'Bucket the backups are written to; inherits `minio.bucketName`.', { env: ['MINIO_BACKUP_BUCKET_NAME'], inherit: 'minio.bucketName' }),
  str('minio.backupRootPath', '', 'Root path of the backups; when unset v1 inherits the resolved `minio.rootPath` (so backups land under the Milvus root path) and uses `backup` only if that is empty.', {
    env: ['MINIO_BACKUP_ROOT_PATH'], inherit: 'minio.rootPath', inheritFallback: 'backup',
  }),
  bool('minio.backupUseIAM', false, 'Backup storage uses IAM credentials; inherits `minio.useIAM`.', { env: ['MINIO_BACKUP_USE_IAM'], inherit: 'minio.useIAM' }),
  str('minio.backupIamEndpoint', '', 'Backup storage IAM endpoint; inherits `minio.iamEndpoint`.', { env: ['MINIO_BACKUP_IAM_ENDPOINT'], inherit: 'minio.iamEndpoint' }),
  bool('minio.crossStorage', false, 'Force streaming copy through milvus-backup (two different storage systems).', { since: 'v0.4.21+' }),
  {
    name: 'minio.multipartCopyThresholdMiB', keys: ['minio.multipartCopyThresholdMiB'], env: [], type: 'int64', default: 500,
    range: 'positive', since: 'v0.5.12+',
    doc: 'Objects at least this large (MiB) are copied with multipart server-side copy (never for `gcp`).',
  },

  int('backup.parallelism.copydata', 128, 'Concurrent object copies.', { env: ['BACKUP_PARALLELISM_COPYDATA'], range: 'positive' }),
  int('backup.parallelism.backupCollection', 4, 'Collections backed up concurrently.', { env: ['BACKUP_PARALLELISM_BACKUP_COLLECTION'], range: 'positive' }),
  int('backup.parallelism.backupSegment', 1024, 'Segments copied concurrently.', { range: 'positive', since: 'v0.5.10+' }),
  int('backup.parallelism.restoreCollection', 2, 'Collections restored concurrently.', { env: ['BACKUP_PARALLELISM_RESTORE_COLLECTION'], range: 'positive' }),
  int('backup.parallelism.importJob', 768, 'Concurrent import jobs; keep below Milvus `dataCoord.import.maxImportJobNum`.', { range: 'positive', since: 'v0.5.8+' }),
  bool('backup.keepTempFiles', false, 'Keep the restore staging copies (debugging).', { env: ['BACKUP_KEEP_TEMP_FILES'] }),
  bool('backup.gcPause.enable', true, 'Pause Milvus garbage collection during a backup.', { env: ['BACKUP_GC_PAUSE_ENABLE'], since: 'v0.4.8+ (default true since v0.5.12)' }),
  str('backup.gcPause.address', 'http://localhost:9091', 'Milvus management HTTP base URL (GC pause).', { env: ['BACKUP_GC_PAUSE_ADDRESS'], since: 'v0.4.8+' }),
];

/** v1 keys the Go tool no longer reads (or reads under a deprecated name). Lower-case lookup: see OBSOLETE_BY_LOWER. */
export const V1_OBSOLETE: readonly ObsoleteKey[] = [
  { key: 'minio.cloudProvider', replacement: 'minio.storageType', read: true, note: 'deprecated alias of the storage type, still read after `storage.storageType` and `minio.storageType`' },
  { key: 'milvus.tlsCertPath', replacement: 'milvus.caCertPath', read: true, note: 'renamed in v0.5.0; milvus-backup v0.5+ ignores the old name, this tool still reads it' },
  { key: 'http.debug_mode', replacement: 'http.debugMode', read: true, note: 'renamed in v0.5.13; newer milvus-backup versions ignore the old name, this tool still reads it' },
  { key: 'log.file.rootPath', replacement: 'log.file.filename', read: true, note: 'renamed in v0.5.9; newer milvus-backup versions ignore the old name, this tool still reads it' },
  { key: 'log.file.maxAge', replacement: 'log.file.maxDays', read: true, note: 'renamed in v0.5.0; newer milvus-backup versions ignore the old name, this tool still reads it' },
  { key: 'backup.parallelism.importJobNum', replacement: 'backup.parallelism.importJob', read: false, note: 'a typo in the v0.5.8/v0.5.9 sample: no version ever read it' },
  { key: 'milvus.authorizationEnabled', read: false, note: 'removed in v0.5.0; authentication is used whenever `milvus.user` is set' },
  { key: 'http.simpleResponse', read: false, note: 'removed in v0.5.12' },
  { key: 'log.format', read: false, note: 'removed in v0.5.0' },
  { key: 'backup.maxSegmentGroupSize', read: false, note: 'removed in v0.5.10; segments are no longer grouped by size' },
  { key: 'backup.gcPause.seconds', read: false, note: 'removed in v0.5.7; the pause is a renewed 1 h lease' },
  { key: 'milvus.useSSL', read: false, note: 'only in the v0.4.8-beta sample; use `milvus.tlsMode`' },
  { key: 'milvus.httpPort', read: false, note: 'only in the v0.4.8-beta sample; the REST port is the gRPC port' },
  { key: 'backup.pauseGcWhenBackup', replacement: 'backup.gcPause.enable', read: false, note: 'only in the v0.4.8-beta sample' },
  { key: 'backup.pauseGcSeconds', read: false, note: 'only in the v0.4.8-beta sample' },
  { key: 'backup.parallelism', replacement: 'backup.parallelism.backupCollection', read: false, note: 'the v0.4.1 scalar form; since v0.4.4 `parallelism` is a section' },
  { key: 'backup.copydata.parallelism', replacement: 'backup.parallelism.copydata', read: false, note: 'the v0.4.1 form' },
  { key: 'restore.parallelism', replacement: 'backup.parallelism.restoreCollection', read: false, note: 'the v0.4.1 form' },
];

// ---------------------------------------------------------------------------------------------- v2

export const V2_PROVIDERS = ['local', 'minio', 's3', 'aws', 'gcp', 'gcpnative', 'azure', 'aliyun', 'tencent', 'hwc'] as const;
const V2_AUTH_TYPES = ['static', 'iam', 'default', 'sharedKey', 'serviceAccount'] as const;
export const V2_TLS_MODES = ['disabled', 'server', 'mutual'] as const;
export const V2_TRANSFER_MODES = ['auto', 'direct', 'streaming'] as const;
/** v1 provider spellings v2 dropped, and what replaced them. */
export const V1_PROVIDER_ALIASES: Readonly<Record<string, string>> = { ali: 'aliyun', alibaba: 'aliyun', alicloud: 'aliyun', tc: 'tencent' };

function storageParams(side: 'milvus' | 'backup'): ParamSpec[] {
  const p = `${side}.storage`;
  const envP = side === 'milvus' ? 'MILVUS_STORAGE' : 'BACKUP_STORAGE';
  const backup = side === 'backup';
  // The backup side inherits every unset field from milvus.storage, except the root path, the local path and
  // the Milvus-view endpoint (internal/cfg/v2/storage.go inherit()).
  const inh = (field: string): Partial<ParamSpec> => (backup ? { inherit: `milvus.storage.${field}` } : {});
  const what = backup ? 'the backup storage' : 'the storage of the Milvus deployment';
  const inhNote = (field: string) => (backup ? ` Inherits \`milvus.storage.${field}\` when unset.` : '');
  return [
    str(`${p}.provider`, 'minio', `Provider of ${what}: ${V2_PROVIDERS.map((x) => `\`${x}\``).join(', ')}.${inhNote('provider')}`, { enum: [...V2_PROVIDERS], ...inh('provider') }),
    str(`${p}.address`, 'localhost', `Endpoint host of ${what}. **azure:** the service suffix, \`core.windows.net\` → \`https://<accountName>.blob.core.windows.net\` (an IP or \`localhost\`: Azurite's \`http://HOST:PORT/<accountName>\`); **gcpnative:** empty or \`storage.googleapis.com\` for the public service, else an emulator or private endpoint.${inhNote('address')}`, inh('address')),
    int(`${p}.port`, 9000, `Endpoint port (1–65535; ignored for \`local\`).${inhNote('port')}`, { range: 'port', ...inh('port') }),
    str(`${p}.region`, '', `Region.${inhNote('region')}`, inh('region')),
    bool(`${p}.useSSL`, false, `Use HTTPS.${inhNote('useSSL')}`, inh('useSSL')),
    str(`${p}.accountName`, '', `Azure storage account (required for \`azure\`, rejected for every other provider).${inhNote('accountName')}`, { env: [`${envP}_ACCOUNT_NAME`], ...inh('accountName') }),
    str(`${p}.bucketName`, 'a-bucket', `Bucket (azure: container).${inhNote('bucketName')}`, inh('bucketName')),
    str(`${p}.rootPath`, backup ? 'backup' : 'files', backup
      ? 'Root path of the backups inside the bucket (a directory for `local`). Not inherited.'
      : 'Milvus root path inside the bucket (must match the Milvus deployment; a directory for `local`).'),
    str(`${p}.localPath`, '', '`local` only: the path the Milvus process sees for `rootPath` (e.g. a container mount); empty = same as `rootPath`. Not inherited.'),
    str(`${p}.milvusAddress`, '', 'Host (no scheme) Milvus itself uses to reach this storage, when it differs from `address` (snapshot URIs). Not inherited.'),
    int(`${p}.milvusPort`, 0, 'Port Milvus itself uses to reach this storage (needs `milvusAddress`; 0 = same as `port`). Not inherited.'),
    str(`${p}.auth.type`, 'static', `Authentication: \`static\`, \`iam\` or \`default\` for S3-like providers (IAM: \`aws\`, \`s3\`, \`minio\` only); \`sharedKey\` or \`default\` for \`azure\`; \`serviceAccount\` or \`default\` for \`gcpnative\`; ignored for \`local\`.${inhNote('auth.type')}`, {
      enum: [...V2_AUTH_TYPES], ...inh('auth.type'),
    }),
    str(`${p}.auth.accessKeyID`, 'minioadmin', `Static access key ID.${inhNote('auth.accessKeyID')}`, { env: [`${envP}_AUTH_ACCESS_KEY_ID`], ...inh('auth.accessKeyID') }),
    str(`${p}.auth.secretAccessKey`, 'minioadmin', `Static secret access key.${inhNote('auth.secretAccessKey')}`, { env: [`${envP}_AUTH_SECRET_ACCESS_KEY`], secret: true, ...inh('auth.secretAccessKey') }),
    str(`${p}.auth.sessionToken`, '', `Static session token (optional).${inhNote('auth.sessionToken')}`, { env: [`${envP}_AUTH_SESSION_TOKEN`], secret: true, ...inh('auth.sessionToken') }),
    str(`${p}.auth.accountKey`, '', `Azure account key (\`sharedKey\`).${inhNote('auth.accountKey')}`, { env: [`${envP}_AUTH_ACCOUNT_KEY`], secret: true, ...inh('auth.accountKey') }),
    str(`${p}.auth.credentialsFile`, '', `Path of the GCP service-account JSON file (\`serviceAccount\`).${inhNote('auth.credentialsFile')}`, { env: [`${envP}_AUTH_CREDENTIALS_FILE`], ...inh('auth.credentialsFile') }),
    str(`${p}.auth.endpoint`, '', `IAM endpoint (\`iam\`, optional).${inhNote('auth.endpoint')}`, inh('auth.endpoint')),
  ];
}

/** v2 (main only; `internal/cfg/v2`), in the Go tool's resolution order (milvus.storage before backup.storage). */
export const V2_PARAMS: readonly ParamSpec[] = [
  str('log.level', 'info', 'Log level: `debug`, `info`, `warn`, `error`, `panic` or `fatal`.'),
  bool('log.console', true, 'Also write the log to stdout.'),
  str('log.file.path', 'logs/backup.log', 'Log file path.'),
  int('log.file.maxSizeMiB', 300, 'Log file size (MiB) that triggers rotation.'),
  int('log.file.maxDays', 0, 'Days a rotated log file is kept (0 = keep).'),
  int('log.file.maxBackups', 0, 'Rotated log files kept (0 = all).'),
  bool('server.debugMode', false, 'Run the REST server in gin debug mode.'),
  str('server.swaggerBasePath', '', 'Swagger base path when the REST API is served behind a reverse proxy.'),
  str('milvus.user', '', 'Milvus user.', { env: ['MILVUS_USER'] }),
  str('milvus.password', '', 'Milvus password.', { env: ['MILVUS_PASSWORD'], secret: true }),
  str('milvus.grpc.address', 'localhost', 'Milvus proxy host (gRPC).'),
  int('milvus.grpc.port', 19530, 'Milvus proxy port (1–65535).', { range: 'port' }),
  str('milvus.grpc.tlsMode', 'disabled', 'TLS to Milvus: `disabled`, `server` (verify the server) or `mutual` (also present a client certificate). The v1 numbers 0/1/2 are rejected.', { enum: [...V2_TLS_MODES] }),
  str('milvus.grpc.caCertPath', '', 'CA certificate (PEM) used to verify the server (`server`, `mutual`).'),
  str('milvus.grpc.serverName', '', 'TLS server name (SNI and certificate check).'),
  str('milvus.grpc.mtlsCertPath', '', 'Client certificate (required for `mutual`).'),
  str('milvus.grpc.mtlsKeyPath', '', 'Client key (required for `mutual`).'),
  str('milvus.rest.endpoint', '', 'Milvus REST endpoint, an absolute http(s) URL; empty = derived from the gRPC address and port.'),
  str('milvus.management.endpoint', 'http://localhost:9091', 'Milvus management HTTP endpoint (GC pause/resume), an absolute http(s) URL.'),
  str('milvus.replicate.rpcChannelName', 'by-dev-replicate-msg', 'Replicate message channel (Milvus 2.5 CDC only).'),
  { name: 'milvus.etcd.endpoints', keys: ['milvus.etcd.endpoints'], env: [], type: 'list', default: ['localhost:2379'], doc: 'Milvus etcd endpoints, a **YAML list** (a comma-separated string through `--set`).' },
  str('milvus.etcd.rootPath', 'by-dev', 'Milvus etcd root path.'),
  ...storageParams('milvus'),
  str('zillizCloud.endpoint', 'https://api.cloud.zilliz.com', 'Zilliz Cloud control-plane URL.'),
  str('zillizCloud.apiKey', '', 'Zilliz Cloud API key.', { env: ['ZILLIZ_CLOUD_API_KEY'], secret: true }),
  int('restore.concurrency.collections', 2, 'Collections restored concurrently (> 0).', { range: 'positive' }),
  int('restore.concurrency.importJobs', 768, 'Concurrent import jobs (> 0; keep below Milvus `dataCoord.import.maxImportJobNum`).', { range: 'positive' }),
  int('restore.maxSegmentsPerImportJob', 256, 'Segments per import job (> 0; keep ≤ Milvus `dataCoord.import.maxImportFileNumPerReq`).', { range: 'positive' }),
  bool('restore.keepTempFiles', false, 'Keep the restore staging copies (debugging).'),
  str('transfer.mode', 'auto', 'How objects move between storages: `auto` (server-side copy on the same backend, else streaming), `direct` (always server-side), `streaming` (always through milvus-backup).', { enum: [...V2_TRANSFER_MODES] }),
  int('transfer.concurrency', 128, 'Concurrent object copies (> 0).', { range: 'positive' }),
  { name: 'transfer.multipartCopyThresholdMiB', keys: ['transfer.multipartCopyThresholdMiB'], env: [], type: 'int64', default: 500, range: 'positive', doc: 'Objects at least this large (MiB) use multipart server-side copy (> 0; never for `gcp`).' },
  ...storageParams('backup'),
  int('backup.concurrency.collections', 4, 'Collections backed up concurrently (> 0).', { range: 'positive' }),
  int('backup.concurrency.segments', 1024, 'Segments copied concurrently (> 0).', { range: 'positive' }),
  bool('backup.pauseGC', true, 'Pause Milvus garbage collection during a backup.'),
];

/** v1 key (lower-case) → its v2 replacement ('' = removed), from `internal/cfg/v2/legacy.go`. */
export const V1_TO_V2: Readonly<Record<string, string>> = {
  'milvus.address': 'milvus.grpc.address',
  'milvus.port': 'milvus.grpc.port',
  'milvus.tlsmode': 'milvus.grpc.tlsMode',
  'milvus.cacertpath': 'milvus.grpc.caCertPath',
  'milvus.servername': 'milvus.grpc.serverName',
  'milvus.mtlscertpath': 'milvus.grpc.mtlsCertPath',
  'milvus.mtlskeypath': 'milvus.grpc.mtlsKeyPath',
  'milvus.rpcchannelname': 'milvus.replicate.rpcChannelName',
  'http.enabled': '',
  'http.debugmode': 'server.debugMode',
  'http.swaggerbasepath': 'server.swaggerBasePath',
  'log.file.filename': 'log.file.path',
  'log.file.maxsize': 'log.file.maxSizeMiB',
  'cloud.address': 'zillizCloud.endpoint',
  'cloud.apikey': 'zillizCloud.apiKey',
  'storage.storagetype': 'milvus.storage.provider',
  'minio.storagetype': 'milvus.storage.provider',
  'minio.cloudprovider': 'milvus.storage.provider',
  'minio.address': 'milvus.storage.address',
  'minio.port': 'milvus.storage.port',
  'minio.region': 'milvus.storage.region',
  'minio.usessl': 'milvus.storage.useSSL',
  'minio.bucketname': 'milvus.storage.bucketName',
  'minio.rootpath': 'milvus.storage.rootPath',
  'minio.accesskeyid': 'milvus.storage.auth.accessKeyID',
  'minio.secretaccesskey': 'milvus.storage.auth.secretAccessKey',
  'minio.token': 'milvus.storage.auth.sessionToken',
  'minio.gcpcredentialjson': 'milvus.storage.auth.credentialsFile',
  'minio.useiam': 'milvus.storage.auth.type',
  'minio.iamendpoint': 'milvus.storage.auth.endpoint',
  'storage.backupstoragetype': 'backup.storage.provider',
  'minio.backupstoragetype': 'backup.storage.provider',
  'minio.backupaddress': 'backup.storage.address',
  'minio.backupport': 'backup.storage.port',
  'minio.backupregion': 'backup.storage.region',
  'minio.backupusessl': 'backup.storage.useSSL',
  'minio.backupbucketname': 'backup.storage.bucketName',
  'minio.backuprootpath': 'backup.storage.rootPath',
  'minio.backupaccesskeyid': 'backup.storage.auth.accessKeyID',
  'minio.backupsecretaccesskey': 'backup.storage.auth.secretAccessKey',
  'minio.backuptoken': 'backup.storage.auth.sessionToken',
  'minio.backupgcpcredentialjson': 'backup.storage.auth.credentialsFile',
  'minio.backupuseiam': 'backup.storage.auth.type',
  'minio.backupiamendpoint': 'backup.storage.auth.endpoint',
  'minio.crossstorage': 'transfer.mode',
  'minio.multipartcopythresholdmib': 'transfer.multipartCopyThresholdMiB',
  'backup.parallelism.copydata': 'transfer.concurrency',
  'backup.parallelism.backupcollection': 'backup.concurrency.collections',
  'backup.parallelism.backupsegment': 'backup.concurrency.segments',
  'backup.parallelism.restorecollection': 'restore.concurrency.collections',
  'backup.parallelism.importjob': 'restore.concurrency.importJobs',
  'backup.keeptempfiles': 'restore.keepTempFiles',
  'backup.gcpause.enable': 'backup.pauseGC',
  'backup.gcpause.address': 'milvus.management.endpoint',
};

/** A parameter table indexed for lookups by lower-cased config key, env name and canonical name. */
export interface ParamIndex {
  params: readonly ParamSpec[];
  byName: Map<string, ParamSpec>;
  /** lower-case config key (every spelling in `keys`) → spec */
  byKey: Map<string, ParamSpec>;
  /** lower-case env name → spec */
  byEnv: Map<string, ParamSpec>;
  /** lower-case section prefixes ('minio', 'backup.parallelism', …) */
  sections: Set<string>;
}

function index(params: readonly ParamSpec[]): ParamIndex {
  const byName = new Map<string, ParamSpec>();
  const byKey = new Map<string, ParamSpec>();
  const byEnv = new Map<string, ParamSpec>();
  const sections = new Set<string>();
  for (const p of params) {
    byName.set(p.name, p);
    for (const k of p.keys) {
      byKey.set(k.toLowerCase(), p);
      const parts = k.toLowerCase().split('.');
      for (let i = 1; i < parts.length; i++) sections.add(parts.slice(0, i).join('.'));
    }
    for (const e of p.env) byEnv.set(e.toLowerCase(), p);
  }
  return { params, byName, byKey, byEnv, sections };
}

export const V1_INDEX = index(V1_PARAMS);
export const V2_INDEX = index(V2_PARAMS);
export const V1_OBSOLETE_BY_LOWER: ReadonlyMap<string, ObsoleteKey> = new Map(V1_OBSOLETE.map((o) => [o.key.toLowerCase(), o]));
