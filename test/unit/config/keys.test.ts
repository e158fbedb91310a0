/**
 * Every config key of the Go tool's v1 (`internal/cfg/cfg.go`) and v2 (`internal/cfg/v2/cfg.go`) schemas: its default, its env override (where the key has an env var)
 * and its `--set` override (by config key, and by env name), each checked through loadConfig's `sources` and
 * through the normalized config. The expectations are restated from the spec here, not read from the loader's
 * own tables, so a wrong table entry fails.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadConfig, type ResolvedConfig } from '../../../src/core/config';

interface Row {
  key: string;
  def: unknown;
  env?: string;
  /** a non-default value, as the string given to env / --set */
  sample: string;
  /** the typed value the sample resolves to */
  typed: unknown;
  /** where the value lands in the normalized config, and what it becomes there (default: typed / def) */
  get?: (c: ResolvedConfig) => unknown;
  getDefault?: unknown;
  getSample?: unknown;
}

const V1: Row[] = [
  { key: 'log.level', def: 'info', sample: 'debug', typed: 'debug', get: (c) => c.log.level },
  { key: 'log.console', def: true, sample: 'false', typed: false, get: (c) => c.log.console },
  { key: 'log.file.filename', def: 'logs/backup.log', sample: 'x/y.log', typed: 'x/y.log', get: (c) => c.log.file.path },
  { key: 'log.file.maxSize', def: 300, sample: '10', typed: 10, get: (c) => c.log.file.maxSizeMiB },
  { key: 'log.file.maxDays', def: 0, sample: '7', typed: 7, get: (c) => c.log.file.maxDays },
  { key: 'log.file.maxBackups', def: 0, sample: '3', typed: 3, get: (c) => c.log.file.maxBackups },
  { key: 'http.enabled', def: true, sample: 'false', typed: false },
  { key: 'http.debugMode', def: false, sample: 'true', typed: true, get: (c) => c.server?.debugMode },
  { key: 'http.swaggerBasePath', def: '', sample: '/api', typed: '/api', get: (c) => c.server?.swaggerBasePath },
  { key: 'cloud.address', def: 'https://api.cloud.zilliz.com', sample: 'https://cloud.example', typed: 'https://cloud.example', get: (c) => c.zillizCloud.endpoint },
  { key: 'cloud.apikey', def: '', sample: 'key-123456', typed: 'key-123456', get: (c) => c.zillizCloud.apiKey },
  { key: 'milvus.address', def: 'localhost', env: 'MILVUS_ADDRESS', sample: 'milvus.example', typed: 'milvus.example', get: (c) => c.milvus.grpc.address },
  { key: 'milvus.port', def: 19530, env: 'MILVUS_PORT', sample: '19531', typed: 19531, get: (c) => c.milvus.grpc.port },
  { key: 'milvus.user', def: '', env: 'MILVUS_USER', sample: 'root', typed: 'root', get: (c) => c.milvus.user },
  { key: 'milvus.password', def: '', env: 'MILVUS_PASSWORD', sample: 'Milvus123', typed: 'Milvus123', get: (c) => c.milvus.password },
  { key: 'milvus.tlsMode', def: 0, env: 'MILVUS_TLS_MODE', sample: '1', typed: 1, get: (c) => c.milvus.grpc.tlsMode, getDefault: 'disabled', getSample: 'server' },
  { key: 'milvus.caCertPath', def: '', env: 'MILVUS_CA_CERT_PATH', sample: '/ca.pem', typed: '/ca.pem', get: (c) => c.milvus.grpc.caCertPath },
  { key: 'milvus.serverName', def: '', env: 'MILVUS_SERVER_NAME', sample: 'milvus.local', typed: 'milvus.local', get: (c) => c.milvus.grpc.serverName },
  { key: 'milvus.mtlsCertPath', def: '', env: 'MILVUS_MTLS_CERT_PATH', sample: '/c.pem', typed: '/c.pem', get: (c) => c.milvus.grpc.mtlsCertPath },
  { key: 'milvus.mtlsKeyPath', def: '', env: 'MILVUS_MTLS_KEY_PATH', sample: '/k.pem', typed: '/k.pem', get: (c) => c.milvus.grpc.mtlsKeyPath },
  { key: 'milvus.rpcChannelName', def: 'by-dev-replicate-msg', env: 'MILVUS_RPC_CHANNEL_NAME', sample: 'chan', typed: 'chan', get: (c) => c.milvus.replicate.rpcChannelName },
  { key: 'milvus.etcd.endpoints', def: 'localhost:2379', sample: 'a:1, b:2,', typed: 'a:1, b:2,', get: (c) => c.milvus.etcd.endpoints, getDefault: ['localhost:2379'], getSample: ['a:1', 'b:2'] },
  { key: 'milvus.etcd.rootPath', def: 'by-dev', sample: 'other', typed: 'other', get: (c) => c.milvus.etcd.rootPath },
  { key: 'minio.storageType', def: 'minio', sample: 'S3', typed: 'S3', get: (c) => c.milvus.storage.provider, getSample: 's3' },
  { key: 'minio.address', def: 'localhost', env: 'MINIO_ADDRESS', sample: 's3.example', typed: 's3.example', get: (c) => c.milvus.storage.address },
  { key: 'minio.port', def: 9000, env: 'MINIO_PORT', sample: '9001', typed: 9001, get: (c) => c.milvus.storage.port },
  { key: 'minio.region', def: '', env: 'MINIO_REGION', sample: 'us-east-1', typed: 'us-east-1', get: (c) => c.milvus.storage.region },
  { key: 'minio.accessKeyID', def: 'minioadmin', env: 'MINIO_ACCESS_KEY', sample: 'AK1', typed: 'AK1', get: (c) => c.milvus.storage.auth.accessKeyID },
  { key: 'minio.secretAccessKey', def: 'minioadmin', env: 'MINIO_SECRET_KEY', sample: 'SK123456', typed: 'SK123456', get: (c) => c.milvus.storage.auth.secretAccessKey },
  { key: 'minio.token', def: '', env: 'MINIO_TOKEN', sample: 'tok123', typed: 'tok123', get: (c) => c.milvus.storage.auth.sessionToken },
  { key: 'minio.gcpCredentialJSON', def: '', env: 'GCP_KEY_JSON', sample: '/key.json', typed: '/key.json' },
  { key: 'minio.useSSL', def: false, env: 'MINIO_USE_SSL', sample: 'T', typed: true, get: (c) => c.milvus.storage.useSSL },
  { key: 'minio.bucketName', def: 'a-bucket', env: 'MINIO_BUCKET_NAME', sample: 'milvus-bucket', typed: 'milvus-bucket', get: (c) => c.milvus.storage.bucketName },
  { key: 'minio.rootPath', def: 'files', env: 'MINIO_ROOT_PATH', sample: 'file', typed: 'file', get: (c) => c.milvus.storage.rootPath },
  { key: 'minio.useIAM', def: false, env: 'MINIO_USE_IAM', sample: '1', typed: true, get: (c) => c.milvus.storage.auth.type, getDefault: 'static', getSample: 'iam' },
  { key: 'minio.iamEndpoint', def: '', env: 'MINIO_IAM_ENDPOINT', sample: 'https://sts.example', typed: 'https://sts.example' },
  { key: 'minio.backupStorageType', def: 'minio', sample: 'local', typed: 'local', get: (c) => c.backup.storage.provider },
  { key: 'minio.backupAddress', def: 'localhost', env: 'MINIO_BACKUP_ADDRESS', sample: 'b.example', typed: 'b.example', get: (c) => c.backup.storage.address },
  { key: 'minio.backupPort', def: 9000, env: 'MINIO_BACKUP_PORT', sample: '9002', typed: 9002, get: (c) => c.backup.storage.port },
  { key: 'minio.backupRegion', def: '', env: 'MINIO_BACKUP_REGION', sample: 'eu-west-1', typed: 'eu-west-1', get: (c) => c.backup.storage.region },
  { key: 'minio.backupAccessKeyID', def: 'minioadmin', env: 'MINIO_BACKUP_ACCESS_KEY', sample: 'BAK', typed: 'BAK', get: (c) => c.backup.storage.auth.accessKeyID },
  { key: 'minio.backupSecretAccessKey', def: 'minioadmin', env: 'MINIO_BACKUP_SECRET_KEY', sample: 'BSK12345', typed: 'BSK12345', get: (c) => c.backup.storage.auth.secretAccessKey },
  { key: 'minio.backupToken', def: '', env: 'MINIO_BACKUP_TOKEN', sample: 'btok', typed: 'btok', get: (c) => c.backup.storage.auth.sessionToken },
  { key: 'minio.backupGcpCredentialJSON', def: '', env: 'BACKUP_GCP_KEY_JSON', sample: '/bkey.json', typed: '/bkey.json' },
  { key: 'minio.backupUseSSL', def: false, env: 'MINIO_BACKUP_USE_SSL', sample: 'true', typed: true, get: (c) => c.backup.storage.useSSL },
  { key: 'minio.backupBucketName', def: 'a-bucket', env: 'MINIO_BACKUP_BUCKET_NAME', sample: 'backups', typed: 'backups', get: (c) => c.backup.storage.bucketName },
  { key: 'minio.backupRootPath', def: 'files', env: 'MINIO_BACKUP_ROOT_PATH', sample: 'backup', typed: 'backup', get: (c) => c.backup.storage.rootPath },
  { key: 'minio.backupUseIAM', def: false, env: 'MINIO_BACKUP_USE_IAM', sample: 'true', typed: true, get: (c) => c.backup.storage.auth.type, getDefault: 'static', getSample: 'iam' },
  { key: 'minio.backupIamEndpoint', def: '', env: 'MINIO_BACKUP_IAM_ENDPOINT', sample: 'https://sts2.example', typed: 'https://sts2.example' },
  { key: 'minio.crossStorage', def: false, sample: 'true', typed: true, get: (c) => c.transfer.mode, getDefault: 'auto', getSample: 'streaming' },
  { key: 'minio.multipartCopyThresholdMiB', def: 500, sample: '64', typed: 64, get: (c) => c.transfer.multipartCopyThresholdMiB },
  { key: 'backup.parallelism.copydata', def: 128, env: 'BACKUP_PARALLELISM_COPYDATA', sample: '16', typed: 16, get: (c) => c.transfer.concurrency },
  { key: 'backup.parallelism.backupCollection', def: 4, env: 'BACKUP_PARALLELISM_BACKUP_COLLECTION', sample: '8', typed: 8, get: (c) => c.backup.concurrency.collections },
  { key: 'backup.parallelism.backupSegment', def: 1024, sample: '64', typed: 64, get: (c) => c.backup.concurrency.segments },
  { key: 'backup.parallelism.restoreCollection', def: 2, env: 'BACKUP_PARALLELISM_RESTORE_COLLECTION', sample: '5', typed: 5, get: (c) => c.restore.concurrency.collections },
  { key: 'backup.parallelism.importJob', def: 768, sample: '100', typed: 100, get: (c) => c.restore.concurrency.importJobs },
  { key: 'backup.keepTempFiles', def: false, env: 'BACKUP_KEEP_TEMP_FILES', sample: 'TRUE', typed: true, get: (c) => c.restore.keepTempFiles },
  { key: 'backup.gcPause.enable', def: true, env: 'BACKUP_GC_PAUSE_ENABLE', sample: 'f', typed: false, get: (c) => c.backup.pauseGC },
  { key: 'backup.gcPause.address', def: 'http://localhost:9091', env: 'BACKUP_GC_PAUSE_ADDRESS', sample: 'http://mgmt:9091', typed: 'http://mgmt:9091', get: (c) => c.milvus.management.endpoint },
];

function storageRows(side: 'milvus' | 'backup'): Row[] {
  const p = `${side}.storage`;
  const env = side === 'milvus' ? 'MILVUS_STORAGE' : 'BACKUP_STORAGE';
  const st = (c: ResolvedConfig) => (side === 'milvus' ? c.milvus.storage : c.backup.storage);
  return [
    { key: `${p}.provider`, def: 'minio', sample: 'aws', typed: 'aws', get: (c) => st(c).provider },
    { key: `${p}.address`, def: 'localhost', sample: 'h.example', typed: 'h.example', get: (c) => st(c).address },
    { key: `${p}.port`, def: 9000, sample: '9443', typed: 9443, get: (c) => st(c).port },
    { key: `${p}.region`, def: '', sample: 'us-west-2', typed: 'us-west-2', get: (c) => st(c).region },
    { key: `${p}.useSSL`, def: false, sample: 'true', typed: true, get: (c) => st(c).useSSL },
    { key: `${p}.accountName`, def: '', env: `${env}_ACCOUNT_NAME`, sample: 'acct', typed: 'acct', get: (c) => st(c).accountName },
    { key: `${p}.bucketName`, def: 'a-bucket', sample: 'bkt', typed: 'bkt', get: (c) => st(c).bucketName },
    { key: `${p}.rootPath`, def: side === 'milvus' ? 'files' : 'backup', sample: 'root2', typed: 'root2', get: (c) => st(c).rootPath },
    { key: `${p}.localPath`, def: '', sample: '/mnt/x', typed: '/mnt/x', get: (c) => st(c).localPath },
    { key: `${p}.milvusAddress`, def: '', sample: 'minio.internal', typed: 'minio.internal', get: (c) => st(c).milvusAddress },
    { key: `${p}.milvusPort`, def: 0, sample: '9100', typed: 9100, get: (c) => st(c).milvusPort },
    { key: `${p}.auth.type`, def: 'static', sample: 'iam', typed: 'iam', get: (c) => st(c).auth.type },
    { key: `${p}.auth.accessKeyID`, def: 'minioadmin', env: `${env}_AUTH_ACCESS_KEY_ID`, sample: 'AK9', typed: 'AK9', get: (c) => st(c).auth.accessKeyID },
    { key: `${p}.auth.secretAccessKey`, def: 'minioadmin', env: `${env}_AUTH_SECRET_ACCESS_KEY`, sample: 'SK999999', typed: 'SK999999', get: (c) => st(c).auth.secretAccessKey },
    { key: `${p}.auth.sessionToken`, def: '', env: `${env}_AUTH_SESSION_TOKEN`, sample: 'st', typed: 'st', get: (c) => st(c).auth.sessionToken },
    { key: `${p}.auth.accountKey`, def: '', env: `${env}_AUTH_ACCOUNT_KEY`, sample: 'ak==', typed: 'ak==', get: (c) => st(c).auth.accountKey },
    { key: `${p}.auth.credentialsFile`, def: '', env: `${env}_AUTH_CREDENTIALS_FILE`, sample: '/sa.json', typed: '/sa.json', get: (c) => st(c).auth.credentialsFile },
    { key: `${p}.auth.endpoint`, def: '', sample: 'http://sts', typed: 'http://sts', get: (c) => st(c).auth.endpoint },
  ];
}

const V2: Row[] = [
  { key: 'log.level', def: 'info', sample: 'warn', typed: 'warn', get: (c) => c.log.level },
  { key: 'log.console', def: true, sample: '0', typed: false, get: (c) => c.log.console },
  { key: 'log.file.path', def: 'logs/backup.log', sample: 'a.log', typed: 'a.log', get: (c) => c.log.file.path },
  { key: 'log.file.maxSizeMiB', def: 300, sample: '50', typed: 50, get: (c) => c.log.file.maxSizeMiB },
  { key: 'log.file.maxDays', def: 0, sample: '2', typed: 2, get: (c) => c.log.file.maxDays },
  { key: 'log.file.maxBackups', def: 0, sample: '4', typed: 4, get: (c) => c.log.file.maxBackups },
  { key: 'server.debugMode', def: false, sample: 'true', typed: true, get: (c) => c.server?.debugMode },
  { key: 'server.swaggerBasePath', def: '', sample: '/p', typed: '/p', get: (c) => c.server?.swaggerBasePath },
  { key: 'milvus.user', def: '', env: 'MILVUS_USER', sample: 'u', typed: 'u', get: (c) => c.milvus.user },
  { key: 'milvus.password', def: '', env: 'MILVUS_PASSWORD', sample: 'pw-123456', typed: 'pw-123456', get: (c) => c.milvus.password },
  { key: 'milvus.grpc.address', def: 'localhost', sample: 'mv', typed: 'mv', get: (c) => c.milvus.grpc.address },
  { key: 'milvus.grpc.port', def: 19530, sample: '443', typed: 443, get: (c) => c.milvus.grpc.port },
  { key: 'milvus.grpc.tlsMode', def: 'disabled', sample: 'Server', typed: 'Server', get: (c) => c.milvus.grpc.tlsMode, getSample: 'server' },
  { key: 'milvus.grpc.caCertPath', def: '', sample: '/ca', typed: '/ca', get: (c) => c.milvus.grpc.caCertPath },
  { key: 'milvus.grpc.serverName', def: '', sample: 'sn', typed: 'sn', get: (c) => c.milvus.grpc.serverName },
  { key: 'milvus.grpc.mtlsCertPath', def: '', sample: '/mc', typed: '/mc', get: (c) => c.milvus.grpc.mtlsCertPath },
  { key: 'milvus.grpc.mtlsKeyPath', def: '', sample: '/mk', typed: '/mk', get: (c) => c.milvus.grpc.mtlsKeyPath },
  { key: 'milvus.rest.endpoint', def: '', sample: 'https://rest:443', typed: 'https://rest:443', get: (c) => c.milvus.rest.endpoint },
  { key: 'milvus.management.endpoint', def: 'http://localhost:9091', sample: 'http://m:9091', typed: 'http://m:9091', get: (c) => c.milvus.management.endpoint },
  { key: 'milvus.replicate.rpcChannelName', def: 'by-dev-replicate-msg', sample: 'c2', typed: 'c2', get: (c) => c.milvus.replicate.rpcChannelName },
  { key: 'milvus.etcd.endpoints', def: ['localhost:2379'], sample: 'e1:2379,e2:2379', typed: ['e1:2379', 'e2:2379'], get: (c) => c.milvus.etcd.endpoints },
  { key: 'milvus.etcd.rootPath', def: 'by-dev', sample: 'r', typed: 'r', get: (c) => c.milvus.etcd.rootPath },
  ...storageRows('milvus'),
  ...storageRows('backup'),
  { key: 'backup.concurrency.collections', def: 4, sample: '6', typed: 6, get: (c) => c.backup.concurrency.collections },
  { key: 'backup.concurrency.segments', def: 1024, sample: '12', typed: 12, get: (c) => c.backup.concurrency.segments },
  { key: 'backup.pauseGC', def: true, sample: 'false', typed: false, get: (c) => c.backup.pauseGC },
  { key: 'restore.concurrency.collections', def: 2, sample: '3', typed: 3, get: (c) => c.restore.concurrency.collections },
  { key: 'restore.concurrency.importJobs', def: 768, sample: '9', typed: 9, get: (c) => c.restore.concurrency.importJobs },
  { key: 'restore.maxSegmentsPerImportJob', def: 256, sample: '128', typed: 128, get: (c) => c.restore.maxSegmentsPerImportJob },
  { key: 'restore.keepTempFiles', def: false, sample: 'true', typed: true, get: (c) => c.restore.keepTempFiles },
  { key: 'transfer.mode', def: 'auto', sample: 'streaming', typed: 'streaming', get: (c) => c.transfer.mode },
  { key: 'transfer.concurrency', def: 128, sample: '7', typed: 7, get: (c) => c.transfer.concurrency },
  { key: 'transfer.multipartCopyThresholdMiB', def: 500, sample: '1024', typed: 1024, get: (c) => c.transfer.multipartCopyThresholdMiB },
  { key: 'zillizCloud.endpoint', def: 'https://api.cloud.zilliz.com', sample: 'https://z', typed: 'https://z', get: (c) => c.zillizCloud.endpoint },
  { key: 'zillizCloud.apiKey', def: '', env: 'ZILLIZ_CLOUD_API_KEY', sample: 'zk-123456', typed: 'zk-123456', get: (c) => c.zillizCloud.apiKey },
];

/** The v2 backup side inherits the milvus side's resolved value for these (not rootPath/localPath/milvus*). */
const V2_INHERITED = new Set(['provider', 'address', 'port', 'region', 'useSSL', 'accountName', 'bucketName', 'auth.type', 'auth.accessKeyID', 'auth.secretAccessKey', 'auth.sessionToken', 'auth.accountKey', 'auth.credentialsFile', 'auth.endpoint']);

function run(version: 'v1' | 'v2', rows: Row[]): void {
  const text = version === 'v2' ? 'configVersion: v2\n' : '';
  describe(`${version} keys`, () => {
    test('the table covers every key the loader knows, and nothing else', () => {
      const known = Object.keys(loadConfig({ text, env: {} }).sources).sort();
      assert.deepEqual(known, rows.map((r) => r.key).sort());
    });
    for (const r of rows) {
      describe(r.key, () => {
        test('default', () => {
          const { sources, config } = loadConfig({ text, env: {} });
          assert.equal(sources[r.key].source, 'default');
          assert.deepEqual(sources[r.key].value, r.def);
          if (r.get) assert.deepEqual(r.get(config), r.getDefault ?? r.def);
        });
        test('--set with the config key (any case)', () => {
          const { sources, config } = loadConfig({ text, env: {}, set: [`${r.key.toUpperCase()}=${r.sample}`] });
          assert.equal(sources[r.key].source, 'override');
          assert.deepEqual(sources[r.key].value, r.typed);
          if (r.get) assert.deepEqual(r.get(config), r.getSample ?? r.typed);
        });
        test('file value', () => {
          // quoted: Go parses strings for int and bool keys from the file too; a v2 list is written as a YAML list
          const yamlText = text + nested(r.key, JSON.stringify(Array.isArray(r.typed) ? r.typed : r.sample));
          const { sources, config } = loadConfig({ text: yamlText, env: {} });
          assert.equal(sources[r.key].source, 'config');
          assert.equal(sources[r.key].sourceKey, r.key);
          assert.deepEqual(sources[r.key].value, r.typed);
          if (r.get) assert.deepEqual(r.get(config), r.getSample ?? r.typed);
        });
        if (r.env) {
          const env = r.env;
          test(`env ${env} beats the file`, () => {
            const yamlText = text + nested(r.key, JSON.stringify(version === 'v1' && r.key.endsWith('port') ? '1' : 'from-file'));
            const { sources, config } = loadConfig({ text: yamlText, env: { [env]: r.sample } });
            assert.equal(sources[r.key].source, 'env');
            assert.equal(sources[r.key].sourceKey, env);
            assert.deepEqual(sources[r.key].value, r.typed);
            if (r.get) assert.deepEqual(r.get(config), r.getSample ?? r.typed);
          });
          test(`--set ${env.toLowerCase()} (the env name) beats env`, () => {
            const { sources } = loadConfig({ text, env: { [env]: 'ignored' }, set: [`${env.toLowerCase()}=${r.sample}`] });
            assert.equal(sources[r.key].source, 'override');
            assert.deepEqual(sources[r.key].value, r.typed);
          });
        } else {
          test('has no env var', () => {
            const { sources } = loadConfig({ text, env: { [r.key.toUpperCase().replace(/\./g, '_')]: r.sample } });
            assert.equal(sources[r.key].source, 'default');
          });
        }
      });
    }
  });
}

/** `a.b.c` → "a:\n  b:\n    c: v\n" */
function nested(key: string, value: string): string {
  const parts = key.split('.');
  return parts.map((p, i) => `${'  '.repeat(i)}${p}:${i === parts.length - 1 ? ` ${value}` : ''}`).join('\n') + '\n';
}

run('v1', V1);
run('v2', V2);

describe('inheritance of the backup side', () => {
  test('v1: every backup* key defaults to the resolved milvus-side value (env included), gcp credentials excepted', () => {
    const { sources } = loadConfig({
      text: 'minio:\n  address: s3.example\n  port: 443\n  useSSL: true\n  bucketName: milvus-bucket\n  rootPath: file\n  gcpCredentialJSON: /k.json\n',
      env: { MINIO_REGION: 'us-east-2', MINIO_ACCESS_KEY: 'AKENV' },
    });
    assert.equal(sources['minio.backupAddress'].value, 's3.example');
    assert.equal(sources['minio.backupAddress'].inheritedFrom, 'minio.address');
    assert.equal(sources['minio.backupPort'].value, 443);
    assert.equal(sources['minio.backupUseSSL'].value, true);
    assert.equal(sources['minio.backupBucketName'].value, 'milvus-bucket');
    assert.equal(sources['minio.backupRegion'].value, 'us-east-2');
    assert.equal(sources['minio.backupAccessKeyID'].value, 'AKENV');
    assert.equal(sources['minio.backupRootPath'].value, 'file', 'the v1 quirk: the Milvus root path, not "backup"');
    assert.equal(sources['minio.backupGcpCredentialJSON'].value, '', 'not inherited');
  });
  test('v1: backupRootPath falls back to "backup" only when the Milvus root path is empty', () => {
    const { sources, problems } = loadConfig({ text: 'minio:\n  rootPath: ""\n', env: {} });
    assert.equal(sources['minio.backupRootPath'].value, 'backup');
    assert.equal(problems.some((p) => p.code === 'backup-root-inherited'), false);
  });
  test('v1: an explicit empty backup value is not inherited (the file wins over the inherited default)', () => {
    const { sources } = loadConfig({ text: 'minio:\n  address: a.example\n  backupAddress: ""\n', env: {} });
    assert.equal(sources['minio.backupAddress'].value, '');
  });
  test('v2: the backup side inherits the milvus side except rootPath, localPath, milvusAddress and milvusPort', () => {
    const text = `configVersion: v2\nmilvus:\n  storage:\n    provider: local\n    address: x.example\n    port: 9443\n    region: r1\n    useSSL: true\n    bucketName: bb\n    rootPath: /data\n    localPath: /mnt/data\n    milvusAddress: m.internal\n    milvusPort: 9100\n`;
    const { config, sources } = loadConfig({ text, env: { MILVUS_STORAGE_AUTH_ACCESS_KEY_ID: 'AKX' } });
    const b = config.backup.storage;
    assert.equal(b.provider, 'local');
    assert.equal(b.address, 'x.example');
    assert.equal(b.port, 9443);
    assert.equal(b.region, 'r1');
    assert.equal(b.useSSL, true);
    assert.equal(b.bucketName, 'bb');
    assert.equal(b.auth.accessKeyID, 'AKX');
    assert.equal(b.rootPath, 'backup');
    assert.equal(sources['backup.storage.localPath'].value, '');
    assert.equal(b.milvusAddress, '');
    assert.equal(b.milvusPort, 0);
    assert.equal(config.milvus.storage.localPath, '/mnt/data');
    assert.equal(b.localPath, 'backup', 'local: an empty localPath means the rootPath');
    for (const f of V2_INHERITED) {
      assert.equal(sources[`backup.storage.${f}`].source, 'default');
      assert.equal(sources[`backup.storage.${f}`].inheritedFrom, `milvus.storage.${f}`, f);
    }
    for (const f of ['rootPath', 'localPath', 'milvusAddress', 'milvusPort']) assert.equal(sources[`backup.storage.${f}`].inheritedFrom, undefined, f);
  });
});
