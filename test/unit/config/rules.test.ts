/**
 * One test per validator rule (issue 4 item 2), each on a small config of its own, asserting the line, the
 * severity and the message of the problem it produces.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadConfig, validateConfigText, type ConfigProblem } from '../../../src/core/config';

function problems(text: string, env: NodeJS.ProcessEnv = {}, set: string[] = []): ConfigProblem[] {
  return validateConfigText(text, { env, set });
}

/** The one problem with `code` (fails if there is none or several). */
function one(text: string, code: string, env: NodeJS.ProcessEnv = {}, set: string[] = []): ConfigProblem {
  const all = problems(text, env, set);
  const hits = all.filter((p) => p.code === code);
  assert.equal(hits.length, 1, `expected one ${code}, got ${JSON.stringify(all.map((p) => `${p.code}@${p.range?.line}: ${p.message}`), null, 1)}`);
  return hits[0];
}

function expect(p: ConfigProblem, line: number | undefined, severity: ConfigProblem['severity'], message: RegExp): void {
  assert.equal(p.range?.line, line, `line of ${p.code}`);
  assert.equal(p.severity, severity, `severity of ${p.code}`);
  assert.match(p.message, message);
}

const V2 = 'configVersion: v2\n';

describe('YAML level', () => {
  test('syntax error: error at the bad line, nothing else judged', () => {
    const all = problems('milvus:\n  port: 19530\n bad: [\n');
    const p = all.find((x) => x.code === 'yaml-syntax')!;
    assert.ok(p);
    assert.equal(p.severity, 'error');
    assert.ok(p.range!.line >= 3);
    assert.match(p.message, /^YAML syntax error/);
    assert.equal(all.some((x) => x.code === 'unknown-key'), false);
  });
  test('a tab in the indentation: one error at its line, and the rest of the file is still judged', () => {
    const all = problems('milvus:\n  address: localhost\n\tport: 19530\nminio:\n  address: localhost\n  port: x9000\n  bucketName: b\n');
    const syntax = all.filter((x) => x.code === 'yaml-syntax');
    assert.equal(syntax.length, 1, syntax.map((x) => `${x.range?.line}: ${x.message}`).join('\n'));
    assert.equal(syntax[0]!.range!.line, 3);
    assert.match(syntax[0]!.message, /tab indents this line/);
    const port = all.find((x) => /minio\.port/.test(x.message));
    assert.ok(port, 'the bad minio.port after the tab is reported too');
    assert.equal(port.range!.line, 6);
  });
  test('duplicate key: error (yaml.v3 refuses "mapping key already defined")', () => {
    expect(one('minio:\n  port: 9000\n  port: 9001\n', 'duplicate-key'), 3, 'error', /Duplicate key.*refuses/);
  });
  test('keys differing only in case: warning on the second, naming the first', () => {
    const p = one('minio:\n  bucketName: a-bucket\n  bucketname: b-bucket\n', 'case-duplicate');
    expect(p, 3, 'warning', /"minio\.bucketname" and "minio\.bucketName" differ only in case/);
    assert.equal(p.data?.other, 'minio.bucketName');
  });
  test('a non-string key: error', () => {
    expect(one('minio:\n  9000: port\n', 'non-string-key'), 2, 'error', /must be strings/);
  });
  test('a root that is not a mapping: error', () => {
    expect(one('- a\n- b\n', 'root-not-map'), 1, 'error', /must be a YAML mapping/);
  });
});

describe('types', () => {
  test('port not an integer: error on the value', () => {
    const p = one('milvus:\n  port: abc\n', 'invalid-int');
    expect(p, 2, 'error', /milvus\.port: "abc" is not an integer/);
    assert.equal(p.range!.column, 9);
  });
  test('a fractional number for an integer key: error', () => {
    expect(one('minio:\n  port: 9000.5\n', 'invalid-int'), 2, 'error', /9000\.5 is not an integer/);
  });
  test('useSSL: yes in a v1 file is refused by Go\'s ParseBool (YAML 1.2: yes is a string)', () => {
    const p = one('minio:\n  useSSL: yes\n', 'invalid-bool');
    expect(p, 2, 'error', /minio\.useSSL: "yes" is not a boolean \(Go's strconv\.ParseBool/);
    assert.equal(p.data?.suggestion, 'true');
  });
  test('string booleans Go accepts are fine ("false", "T", "1")', () => {
    const all = problems('minio:\n  crossStorage: "false"\n  useSSL: "T"\n  useIAM: "0"\n');
    assert.equal(all.filter((p) => p.severity === 'error').length, 0);
  });
  test('v2: a bool key with a non-boolean: error', () => {
    expect(one(`${V2}backup:\n  pauseGC: maybe\n`, 'invalid-bool'), 3, 'error', /backup\.pauseGC: "maybe" is not a boolean/);
  });
  test('v2: etcd endpoints as a comma string: error (v2 wants a YAML list)', () => {
    expect(one(`${V2}milvus:\n  etcd:\n    endpoints: "a:2379,b:2379"\n`, 'invalid-list'), 4, 'error', /must be a YAML list/);
  });
  test('v1: etcd endpoints as a YAML list: warning (Go reads it as the text "[a b]")', () => {
    expect(one('milvus:\n  etcd:\n    endpoints:\n      - a:2379\n', 'list-as-string'), 4, 'warning', /reads it as the text "\[a:2379\]"/);
  });
});

describe('enums', () => {
  test('v2 storage provider typo: error naming the closest value', () => {
    const p = one(`${V2}milvus:\n  storage:\n    provider: minoi\n`, 'invalid-enum');
    expect(p, 4, 'error', /milvus\.storage\.provider: invalid value "minoi", want one of: local, minio.*Did you mean "minio"/);
    assert.equal(p.data?.suggestion, 'minio');
  });
  test('v2 rejects the v1 provider aliases (tc, ali…)', () => {
    const p = one(`${V2}backup:\n  storage:\n    provider: tc\n`, 'invalid-enum');
    expect(p, 4, 'error', /"tc" is a v1 spelling that v2 rejects; write "tencent"/);
    assert.equal(p.data?.suggestion, 'tencent');
  });
  test('v1 accepts the aliases', () => {
    const all = problems('minio:\n  storageType: tc\n');
    assert.equal(all.filter((p) => p.code === 'invalid-enum').length, 0);
  });
  test('v1 unknown storage type: error', () => {
    expect(one('minio:\n  storageType: ftp\n', 'invalid-enum'), 2, 'error', /minio\.storageType: invalid value "ftp"/);
  });
  test('v2 TLS mode typo: error suggesting "server"', () => {
    const p = one(`${V2}milvus:\n  grpc:\n    tlsMode: sever\n`, 'invalid-enum');
    expect(p, 4, 'error', /Did you mean "server"/);
  });
  test('v2 numeric TLS mode: error naming the v2 spelling', () => {
    expect(one(`${V2}milvus:\n  grpc:\n    tlsMode: 2\n`, 'invalid-enum'), 4, 'error', /"2" is the v1 spelling of this mode; write it as "mutual"/);
  });
  test('v1 TLS mode outside 0/1/2: error', () => {
    expect(one('milvus:\n  tlsMode: 3\n', 'invalid-enum'), 2, 'error', /milvus\.tlsMode: invalid value 3, want 0/);
  });
  test('v2 auth type not allowed for the provider: error', () => {
    expect(one(`${V2}milvus:\n  storage:\n    provider: s3\n    auth:\n      type: sharedKey\n`, 'invalid-enum'), 6, 'error', /auth\.type: invalid value "sharedKey", want one of: static, iam, default/);
  });
  test('v2 enum values are case-insensitive like Go', () => {
    const all = problems(`${V2}milvus:\n  storage:\n    provider: Azure\n    accountName: acct\n    auth:\n      type: SharedKey\n      accountKey: k\n`);
    assert.deepEqual(all.filter((p) => p.severity === 'error'), []);
  });
  test('v2 transfer mode: error', () => {
    expect(one(`${V2}transfer:\n  mode: fast\n`, 'invalid-enum'), 3, 'error', /transfer\.mode: invalid value "fast", want one of: auto, direct, streaming/);
  });
});

describe('ranges', () => {
  test('port out of range: error', () => {
    expect(one('milvus:\n  port: 70000\n', 'port-out-of-range'), 2, 'error', /milvus\.port: invalid port 70000, want 1–65535/);
  });
  test('parallelism ≤ 0: error', () => {
    expect(one('backup:\n  parallelism:\n    copydata: 0\n', 'out-of-range'), 3, 'error', /backup\.parallelism\.copydata: invalid value 0, want a positive number/);
  });
  test('v2 concurrency < 0: error', () => {
    expect(one(`${V2}restore:\n  concurrency:\n    importJobs: -1\n`, 'out-of-range'), 4, 'error', /restore\.concurrency\.importJobs: invalid value -1/);
  });
  test('a schema-only range (port 0 on a local provider, which Go ignores): warning from the JSON schema', () => {
    expect(one(`${V2}backup:\n  storage:\n    provider: local\n    port: 0\n`, 'schema-minimum'), 5, 'warning', /port: must be >= 1 \(JSON schema\)/);
  });
});

describe('keys', () => {
  test('unknown key: warning naming the closest known key', () => {
    const p = one('minio:\n  adress: s3.example\n', 'unknown-key');
    expect(p, 2, 'warning', /Unknown key minio\.adress: milvus-backup ignores it\. Did you mean minio\.address\?/);
    assert.equal(p.data?.suggestion, 'minio.address');
  });
  test('unknown key under a misspelled section', () => {
    const p = one('mnio:\n  bucketName: x-bucket\n', 'unknown-key');
    assert.equal(p.data?.suggestion, 'minio.bucketName');
  });
  test('v2 unknown key: warning', () => {
    expect(one(`${V2}transfer:\n  concurency: 3\n`, 'unknown-key'), 3, 'warning', /Did you mean transfer\.concurrency\?/);
  });
  test('deprecated key: warning naming the replacement, value still read', () => {
    const all = problems('log:\n  file:\n    rootPath: old.log\n');
    const p = all.find((x) => x.code === 'deprecated-key')!;
    expect(p, 3, 'warning', /log\.file\.rootPath is deprecated: use log\.file\.filename/);
    assert.equal(p.data?.replacement, 'log.file.filename');
  });
  test('deprecated alias minio.cloudProvider: warning', () => {
    expect(one('minio:\n  cloudProvider: aws\n', 'deprecated-key'), 2, 'warning', /use minio\.storageType/);
  });
  test('removed key: warning', () => {
    expect(one('http:\n  simpleResponse: true\n', 'removed-key'), 2, 'warning', /http\.simpleResponse is no longer read.*Removed in v0\.5\.12/);
  });
  test('the sample typo importJobNum: warning naming importJob', () => {
    const p = one('backup:\n  parallelism:\n    importJobNum: 768\n', 'deprecated-key');
    assert.equal(p.data?.replacement, 'backup.parallelism.importJob');
  });
  test('v1 key in a v2 file: warning naming the v2 key', () => {
    const p = one(`${V2}milvus:\n  address: localhost\n`, 'v1-key-in-v2');
    expect(p, 3, 'warning', /milvus\.address is a v1 key; a v2 config ignores it\. Use milvus\.grpc\.address instead/);
    assert.equal(p.data?.replacement, 'milvus.grpc.address');
  });
  test('v2 key without configVersion: warning suggesting configVersion: v2', () => {
    const p = one('milvus:\n  grpc:\n    port: 19531\n', 'v2-key-in-v1');
    expect(p, 3, 'warning', /is a v2 key, but the file has no "configVersion: v2"/);
  });
  test('unknown configVersion: error', () => {
    expect(one('configVersion: v3\n', 'invalid-config-version'), 1, 'error', /"v3", which is not a schema version/);
  });
});

describe('provider requirements', () => {
  test('v2 azure without accountName and accountKey: two errors', () => {
    const all = problems(`${V2}milvus:\n  storage:\n    provider: azure\n    auth:\n      type: sharedKey\n`);
    expect(all.find((p) => p.code === 'azure-account-name-required')!, 4, 'error', /milvus\.storage\.accountName is required for the azure provider.*MILVUS_STORAGE_ACCOUNT_NAME/);
    expect(all.find((p) => p.code === 'azure-account-key-required')!, 6, 'error', /milvus\.storage\.auth\.accountKey is required.*MILVUS_STORAGE_AUTH_ACCOUNT_KEY/);
    assert.equal(all.filter((p) => p.severity === 'error').length, 2, 'the backup side inherits the same problem: reported once');
  });
  test('v1 azure with empty access key pair: errors explaining the key is the account name', () => {
    const all = problems('minio:\n  storageType: azure\n  accessKeyID: ""\n  secretAccessKey: ""\n  backupAccessKeyID: acct\n  backupSecretAccessKey: k\n');
    expect(all.find((p) => p.code === 'azure-account-name-required')!, 3, 'error', /minio\.accessKeyID is empty, but for azure it is the storage account name.*MINIO_ACCESS_KEY/);
    expect(all.find((p) => p.code === 'azure-account-key-required')!, 4, 'error', /minio\.secretAccessKey is required/);
  });
  test('v1 azure credentials from env: no error', () => {
    const all = problems('minio:\n  storageType: azure\n  accessKeyID: ""\n  secretAccessKey: ""\n', { MINIO_ACCESS_KEY: 'acct', MINIO_SECRET_KEY: 'k' });
    assert.deepEqual(all.filter((p) => p.severity === 'error'), []);
  });
  test('IAM on an S3 provider the IAM client cannot serve: error, not a clean validation (v1 and v2)', () => {
    expect(one('minio:\n  storageType: aliyun\n  useIAM: true\n  bucketName: my-bucket\n', 'storage-unsupported'), 3, 'error', /IAM authentication for "aliyun" is not supported by this tool yet; use static access keys/);
    expect(one(`${V2}milvus:\n  storage:\n    provider: gcp\n    auth:\n      type: default\n`, 'storage-unsupported'), 6, 'error', /auth\.type "default": IAM authentication for "gcp"/);
    // AWS IAM, Azure identities and GCS ADC are supported: no such error
    for (const [provider, type] of [['aws', 'iam'], ['azure', 'default'], ['gcpnative', 'default']]) {
      const all = problems(`${V2}milvus:\n  storage:\n    provider: ${provider}\n    accountName: ${provider === 'azure' ? 'acct' : '""'}\n    auth:\n      type: ${type}\n`);
      assert.deepEqual(all.filter((p) => p.code === 'storage-unsupported'), [], provider);
    }
  });
  test('gcpnative without a credentials file: error', () => {
    expect(one('minio:\n  storageType: gcpnative\n  bucketName: my-bucket\n  backupGcpCredentialJSON: /k.json\n', 'gcp-credentials-required'), 2, 'error', /minio\.gcpCredentialJSON \(the path of the service-account JSON file\) is required for gcpnative/);
  });
  test('v2 mutual TLS without cert and key: error', () => {
    expect(one(`${V2}milvus:\n  grpc:\n    tlsMode: mutual\n    mtlsCertPath: /c.pem\n`, 'mtls-incomplete'), 4, 'error', /requires both milvus\.grpc\.mtlsCertPath and milvus\.grpc\.mtlsKeyPath/);
  });
  test('v1 tlsMode 2 without cert and key: warning (Go silently uses server TLS)', () => {
    expect(one('milvus:\n  tlsMode: 2\n', 'mtls-downgraded'), 2, 'warning', /silently uses server-only TLS/);
  });
  test('v2 static credentials emptied: error', () => {
    expect(one(`${V2}milvus:\n  storage:\n    auth:\n      secretAccessKey: ""\n`, 'static-credentials-required'), 5, 'error', /secretAccessKey is required for static credentials/);
  });
  test('v2 credential that does not apply to the auth type: error', () => {
    expect(one(`${V2}milvus:\n  storage:\n    auth:\n      type: iam\n      accountKey: k\n`, 'not-applicable'), 6, 'error', /auth\.accountKey does not apply when milvus\.storage\.auth\.type is "iam"/);
  });
  test('v2 accountName on a non-azure provider: error', () => {
    expect(one(`${V2}milvus:\n  storage:\n    provider: s3\n    accountName: acct\n`, 'not-applicable'), 5, 'error', /accountName only applies to the azure provider, but milvus\.storage\.provider is "s3"/);
  });
  test('v2 milvusAddress given as a URL: error', () => {
    expect(one(`${V2}backup:\n  storage:\n    milvusAddress: http://minio:9000\n`, 'invalid-host'), 4, 'error', /must be a host, not a URL/);
  });
  test('invalid management URL (v1 gcPause.address without scheme): error', () => {
    expect(one('backup:\n  gcPause:\n    address: localhost:9091\n', 'invalid-url'), 3, 'error', /invalid URL "localhost:9091", want an absolute http\(s\) URL/);
  });
  test('v1 empty etcd endpoints: error', () => {
    expect(one('milvus:\n  etcd:\n    endpoints: ""\n', 'etcd-endpoints-empty'), 3, 'error', /at least one endpoint is required/);
  });
});

describe('storage values', () => {
  test('bucket_A: error saying S3/MinIO reject it', () => {
    const all = problems('minio:\n  bucketName: bucket_A\n  backupBucketName: backups\n');
    const p = all.filter((x) => x.code === 'invalid-bucket-name');
    assert.equal(p.length, 1);
    expect(p[0], 2, 'error', /minio\.bucketName: "bucket_A" contains "_", "A".*\(S3 and MinIO reject it\)/);
  });
  test('an inherited bad bucket is reported once, where it is written', () => {
    const all = problems('minio:\n  bucketName: bucket_A\n');
    assert.equal(all.filter((x) => x.code === 'invalid-bucket-name').length, 1);
  });
  test('bucket placeholder from the samples: warning, not error', () => {
    expect(one(`${V2}backup:\n  storage:\n    bucketName: "<your-bucket-name>"\n`, 'placeholder-value'), 4, 'warning', /placeholder "<your-bucket-name>"/);
  });
  test('root path with a leading "/" on S3: warning', () => {
    const p = one(`${V2}backup:\n  storage:\n    rootPath: /backup\n`, 'root-path-leading-slash');
    expect(p, 4, 'warning', /backup\.storage\.rootPath "\/backup" starts with "\/": this tool reads and writes backups under "backup" .*the Go milvus-backup keeps the "\/"/);
    assert.equal(p.data?.suggestion, 'backup');
  });
  test('root path with a leading "/" on local: fine', () => {
    const all = problems(`${V2}backup:\n  storage:\n    provider: local\n    rootPath: /var/lib/milvus-backup\n`);
    assert.equal(all.some((p) => p.code === 'root-path-leading-slash'), false);
  });
  test('v1 backupRootPath not set: warning that backups land under the Milvus root path', () => {
    expect(one('minio:\n  rootPath: file\n', 'backup-root-inherited'), 2, 'warning', /stores backups under the Milvus root path "file"/);
  });
});

describe('secrets and environment', () => {
  test('plaintext secret: warning suggesting the env var', () => {
    const p = one('milvus:\n  password: Milvus\n', 'plaintext-secret');
    expect(p, 2, 'warning', /milvus\.password holds a secret in plain text; prefer .* MILVUS_PASSWORD/);
    assert.equal(p.data?.env, 'MILVUS_PASSWORD');
  });
  test('v2 plaintext secret names the v2 env var', () => {
    expect(one(`${V2}milvus:\n  storage:\n    auth:\n      secretAccessKey: s3cr3t-value\n`, 'plaintext-secret'), 5, 'warning', /MILVUS_STORAGE_AUTH_SECRET_ACCESS_KEY/);
  });
  test('Kubernetes service link MILVUS_PORT=tcp://… in a v1 config: error explaining it (#197/#617)', () => {
    const p = one('milvus:\n  port: 19530\n', 'invalid-env', { MILVUS_PORT: 'tcp://10.0.0.1:19530' });
    expect(p, 2, 'error', /Environment variable MILVUS_PORT="tcp:\/\/10\.0\.0\.1:19530".*Kubernetes service-link/);
  });
  test('the same variable is inert for a v2 config (information only)', () => {
    const all = problems(`${V2}milvus:\n  grpc:\n    port: 19530\n`, { MILVUS_PORT: 'tcp://10.0.0.1:19530' });
    assert.equal(all.filter((p) => p.severity === 'error').length, 0);
    assert.equal(all.find((p) => p.code === 'v1-env-ignored')?.severity, 'information');
  });
  test('env var shadowing a file value: information on the value', () => {
    expect(one('minio:\n  address: from-file\n', 'env-shadows-file', { MINIO_ADDRESS: 'from-env' }), 2, 'information', /MINIO_ADDRESS overrides this value.*"from-env" is used/);
  });
  test('a secret never appears in a message', () => {
    const all = [
      ...problems('minio:\n  port: abc\n', { MINIO_SECRET_KEY: 'TopSecretValue1' }, ['minio.secretAccessKey=TopSecretValue2']),
      ...problems('minio:\n  secretAccessKey: TopSecretValue3\nmilvus:\n  password: [TopSecretValue4]\n', { MILVUS_PASSWORD: 'TopSecretValue5' }),
      ...problems(`${V2}milvus:\n  storage:\n    auth:\n      secretAccessKey: TopSecretValue6\n`, { MILVUS_STORAGE_AUTH_SECRET_ACCESS_KEY: 'TopSecretValue7' }),
    ];
    assert.ok(all.length > 3);
    for (const p of all) assert.doesNotMatch(p.message, /TopSecretValue/);
  });
  test('--set without "=": error; unknown --set key: warning', () => {
    expect(one('', 'invalid-set', {}, ['milvus.port']), undefined, 'error', /want KEY=VALUE/);
    expect(one('', 'unknown-override', {}, ['milvus.prot=1']), undefined, 'warning', /--set milvus\.prot matches no v1 config key/);
  });
  test('--set value that does not parse: error', () => {
    expect(one('', 'invalid-override', {}, ['milvus.port=x']), undefined, 'error', /--set milvus\.port=x: "x" is not an integer/);
  });
  test('unknown log level: warning', () => {
    expect(one('log:\n  level: verbose\n', 'unknown-log-level'), 2, 'warning', /"verbose" is not one of debug/);
  });
});

describe('one verdict', () => {
  test('the engine (loadConfig) and the editor (validateConfigText) report the same errors', () => {
    const texts = [
      'minio:\n  useSSL: yes\n  bucketName: bucket_A\nmilvus:\n  port: 70000\n  tlsMode: 7\n',
      `${V2}milvus:\n  grpc:\n    tlsMode: 2\n  storage:\n    provider: tc\nbackup:\n  concurrency:\n    collections: 0\n`,
      `${V2}milvus:\n  storage:\n    provider: azure\n`,
      'minio:\n  storageType: gcpnative\n',
      'a: [\n',
    ];
    for (const text of texts) {
      const engine = loadConfig({ text, env: {} }).problems.filter((p) => p.severity === 'error');
      const editor = validateConfigText(text, { env: {} }).filter((p) => p.severity === 'error');
      assert.ok(engine.length > 0, text);
      assert.deepEqual(editor, engine, text);
    }
  });
});
