/** loadConfig as a whole: file resolution, precedence, case-insensitive keys, no-file behaviour, throwing, masking. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig, loadConfigOrThrow, maskSecret, resolveConfigPath, type ResolvedConfig } from '../../../src/core/config';
import { UserError } from '../../../src/core/errors';
import { loadCliConfig } from '../../../src/cli/loadCliConfig';
import type { CliContext } from '../../../src/cli/context';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cfg-load-'));
  mkdirSync(join(dir, 'configs'));
  mkdirSync(join(dir, 'conf'));
  writeFileSync(join(dir, 'configs', 'backup.yaml'), 'minio:\n  bucketName: from-configs-dir\n');
  writeFileSync(join(dir, 'conf', 'backup.yaml'), 'minio:\n  bucketName: from-milvusconf\n');
  writeFileSync(join(dir, 'here.yaml'), 'minio:\n  bucketName: from-literal-path\n');
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('config file resolution (Go internal/cfg/param/source.go)', () => {
  test('the literal path first', () => {
    assert.equal(resolveConfigPath('here.yaml', true, { MILVUSCONF: join(dir, 'conf') }, dir), join(dir, 'here.yaml'));
  });
  test('then $MILVUSCONF/<basename>', () => {
    assert.equal(resolveConfigPath('somewhere/backup.yaml', false, { MILVUSCONF: join(dir, 'conf') }, dir), join(dir, 'conf', 'backup.yaml'));
  });
  test('then ./configs/<basename>', () => {
    assert.equal(resolveConfigPath('backup.yaml', false, {}, dir), join(dir, 'configs', 'backup.yaml'));
  });
  test('nothing found: undefined', () => {
    assert.equal(resolveConfigPath('missing.yaml', true, {}, dir), undefined);
  });
  test('loadConfig reads the resolved file', () => {
    const { config } = loadConfig({ file: 'backup.yaml', cwd: dir, env: { MILVUSCONF: join(dir, 'conf') } });
    assert.equal(config.milvus.storage.bucketName, 'from-milvusconf');
    assert.equal(config.file, join(dir, 'conf', 'backup.yaml'));
    assert.equal(config.sourceVersion, 'v1');
  });
});

describe('missing file', () => {
  test('explicit --config that resolves nowhere: an error problem', () => {
    const { problems } = loadConfig({ file: 'nope.yaml', fileExplicit: true, cwd: dir, env: {} });
    const p = problems.find((x) => x.code === 'config-not-found')!;
    assert.equal(p.severity, 'error');
    assert.match(p.message, /Config file nope\.yaml not found \(tried .*nope\.yaml/);
  });
  test('default backup.yaml missing: defaults + env/--set (v2 names), information only', () => {
    const empty = mkdtempSync(join(tmpdir(), 'cfg-empty-'));
    try {
      const { config, problems, sources } = loadConfig({
        cwd: empty,
        env: { MILVUS_STORAGE_AUTH_ACCESS_KEY_ID: 'AKV2', MINIO_ADDRESS: 'v1-name-is-ignored' },
        set: ['milvus.grpc.port=19999'],
      });
      assert.equal(config.sourceVersion, 'none');
      assert.equal(config.milvus.storage.auth.accessKeyID, 'AKV2');
      assert.equal(config.milvus.storage.address, 'localhost');
      assert.equal(config.milvus.grpc.port, 19999);
      assert.equal(sources['milvus.grpc.port'].source, 'override');
      assert.deepEqual(problems.filter((p) => p.severity !== 'information'), []);
      assert.ok(problems.some((p) => p.code === 'no-config-file'));
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('resolution', () => {
  test('precedence on one key: default < file < env < --set', () => {
    const text = 'minio:\n  port: 9001\n';
    assert.equal(loadConfig({ text: '', env: {} }).config.milvus.storage.port, 9000);
    assert.equal(loadConfig({ text, env: {} }).config.milvus.storage.port, 9001);
    assert.equal(loadConfig({ text, env: { MINIO_PORT: '9002' } }).config.milvus.storage.port, 9002);
    const r = loadConfig({ text, env: { MINIO_PORT: '9002' }, set: ['MINIO_PORT=9003'] });
    assert.equal(r.config.milvus.storage.port, 9003);
    assert.deepEqual({ source: r.sources['minio.port'].source, key: r.sources['minio.port'].sourceKey }, { source: 'override', key: 'MINIO_PORT' });
    assert.equal(r.sources['minio.port'].shadowsFileKey, 'minio.port');
  });
  test('keys are case-insensitive, like the Go tool', () => {
    const { config, sources } = loadConfig({ text: 'MINIO:\n  BucketName: upper-case-keys\n  USESSL: true\n', env: {} });
    assert.equal(config.milvus.storage.bucketName, 'upper-case-keys');
    assert.equal(config.milvus.storage.useSSL, true);
    assert.equal(sources['minio.bucketName'].sourceKey, 'MINIO.BucketName');
  });
  test('null leaves keep the default; empty strings do not', () => {
    const { config } = loadConfig({ text: 'minio:\n  address:\n  region: ""\n  rootPath: ~\n', env: {} });
    assert.equal(config.milvus.storage.address, 'localhost');
    assert.equal(config.milvus.storage.rootPath, 'files');
    assert.equal(config.milvus.storage.region, '');
  });
  test('an env var that is set but empty still counts (Go os.LookupEnv)', () => {
    const { config, sources } = loadConfig({ text: 'minio:\n  region: us-east-1\n', env: { MINIO_REGION: '' } });
    assert.equal(config.milvus.storage.region, '');
    assert.equal(sources['minio.region'].source, 'env');
  });
  test('YAML anchors and aliases resolve', () => {
    const { config } = loadConfig({ text: 'minio:\n  bucketName: &b shared-bucket\n  backupBucketName: *b\n', env: {} });
    assert.equal(config.backup.storage.bucketName, 'shared-bucket');
  });
  test('numeric strings are accepted for ints, and ports as strings', () => {
    const { config, problems } = loadConfig({ text: 'milvus:\n  port: "19532"\n', env: {} });
    assert.equal(config.milvus.grpc.port, 19532);
    assert.equal(problems.filter((p) => p.severity === 'error').length, 0);
  });
  test('configVersion is matched case-insensitively', () => {
    assert.equal(loadConfig({ text: 'configVersion: V2\n', env: {} }).config.sourceVersion, 'v2');
    assert.equal(loadConfig({ text: 'configVersion: v1\nminio:\n  port: 9005\n', env: {} }).config.milvus.storage.port, 9005);
  });
  test('v2 ignores v1 env names; v1 ignores v2 env names', () => {
    assert.equal(loadConfig({ text: 'configVersion: v2\n', env: { MINIO_ADDRESS: 'x' } }).config.milvus.storage.address, 'localhost');
    assert.equal(loadConfig({ text: '', env: { MILVUS_STORAGE_AUTH_ACCESS_KEY_ID: 'x' } }).config.milvus.storage.auth.accessKeyID, 'minioadmin');
  });
  test('v1 translation: azure overloads the access key pair, useIAM selects the auth type', () => {
    const az = loadConfig({ text: 'minio:\n  storageType: azure\n  accessKeyID: acct\n  secretAccessKey: key\n', env: {} }).config.milvus.storage;
    // the unused static fields keep the v2 defaults, as in the Go translation (and as the migrated file loads)
    assert.deepEqual([az.provider, az.accountName, az.auth.type, az.auth.accountKey, az.auth.accessKeyID], ['azure', 'acct', 'sharedKey', 'key', 'minioadmin']);
    const azIam = loadConfig({ text: 'minio:\n  storageType: azure\n  accessKeyID: acct\n  useIAM: true\n', env: {} }).config.milvus.storage;
    assert.equal(azIam.auth.type, 'default');
    const gcp = loadConfig({ text: 'minio:\n  storageType: gcpnative\n  gcpCredentialJSON: /sa.json\n', env: {} }).config.milvus.storage;
    assert.deepEqual([gcp.auth.type, gcp.auth.credentialsFile], ['serviceAccount', '/sa.json']);
    const ali = loadConfig({ text: 'minio:\n  storageType: Alibaba\n', env: {} }).config.milvus.storage;
    assert.equal(ali.provider, 'aliyun');
  });
  test('v1 tlsMode 2 without a key pair becomes server TLS', () => {
    assert.equal(loadConfig({ text: 'milvus:\n  tlsMode: 2\n', env: {} }).config.milvus.grpc.tlsMode, 'server');
    assert.equal(loadConfig({ text: 'milvus:\n  tlsMode: 2\n  mtlsCertPath: c\n  mtlsKeyPath: k\n', env: {} }).config.milvus.grpc.tlsMode, 'mutual');
  });
  test('problems carry 1-based ranges on the value', () => {
    const p = loadConfig({ text: 'minio:\n  port: x9\n', env: {} }).problems.find((q) => q.code === 'invalid-int')!;
    assert.deepEqual(p.range, { line: 2, column: 9, endLine: 2, endColumn: 11 });
  });
  test('secrets are flagged in sources', () => {
    const { sources } = loadConfig({ text: '', env: {} });
    assert.equal(sources['minio.secretAccessKey'].secret, true);
    assert.equal(sources['minio.accessKeyID'].secret, false);
  });
});

describe('deprecated v1 spellings (older internal/cfg/cfg.go)', () => {
  test('the storage type: storage.storageType, then minio.storageType, then minio.cloudProvider', () => {
    const pick = (text: string) => loadConfig({ text, env: {} }).sources['minio.storageType'];
    assert.equal(pick('minio:\n  cloudProvider: aws\n').value, 'aws');
    assert.equal(pick('minio:\n  cloudProvider: aws\n').sourceKey, 'minio.cloudProvider');
    assert.equal(pick('minio:\n  cloudProvider: aws\n  storageType: s3\n').value, 's3');
    assert.equal(pick('storage:\n  storageType: gcp\nminio:\n  cloudProvider: aws\n  storageType: s3\n').value, 'gcp');
    assert.equal(loadConfig({ text: 'storage:\n  backupStorageType: local\nminio:\n  backupStorageType: s3\n', env: {} }).config.backup.storage.provider, 'local');
  });
  test('renamed keys are read after their new name, with a deprecation warning', () => {
    const cases: [string, string, (c: ResolvedConfig) => unknown, unknown][] = [
      ['milvus.tlsCertPath', 'milvus.caCertPath', (c) => c.milvus.grpc.caCertPath, '/old-ca.pem'],
      ['log.file.rootPath', 'log.file.filename', (c) => c.log.file.path, '/old-ca.pem'],
      ['http.debug_mode', 'http.debugMode', (c) => c.server?.debugMode, true],
      ['log.file.maxAge', 'log.file.maxDays', (c) => c.log.file.maxDays, 9],
    ];
    for (const [old, now, get, value] of cases) {
      const [section, ...rest] = old.split('.');
      const leaf = rest.pop()!;
      const indent = (n: number) => '  '.repeat(n);
      const text = `${section}:\n${rest.map((r, i) => `${indent(i + 1)}${r}:\n`).join('')}${indent(rest.length + 1)}${leaf}: ${JSON.stringify(value)}\n`;
      const r = loadConfig({ text, env: {} });
      assert.deepEqual(get(r.config), value, old);
      assert.equal(r.sources[now].sourceKey, old);
      assert.equal(r.problems.find((p) => p.code === 'deprecated-key')?.data?.replacement, now);
    }
    // the new name wins when both are there
    assert.equal(loadConfig({ text: 'milvus:\n  tlsCertPath: /old\n  caCertPath: /new\n', env: {} }).config.milvus.grpc.caCertPath, '/new');
  });
  test('removed keys change nothing', () => {
    const base = loadConfig({ text: '', env: {} }).config;
    const withRemoved = loadConfig({ text: 'http:\n  simpleResponse: true\nbackup:\n  maxSegmentGroupSize: 2G\n  gcPause:\n    seconds: 10\n  parallelism:\n    importJobNum: 5\nmilvus:\n  authorizationEnabled: true\n', env: {} }).config;
    assert.deepEqual(withRemoved, base);
  });
});

describe('loadConfigOrThrow', () => {
  test('throws one UserError naming every error, never the secret', () => {
    assert.throws(
      () => loadConfigOrThrow({ text: 'milvus:\n  port: 0\nminio:\n  useSSL: maybe\n', env: { MINIO_SECRET_KEY: 'VerySecretValue' } }),
      (e: unknown) => {
        assert.ok(e instanceof UserError);
        assert.match(e.message, /2 errors/);
        assert.match(e.message, /line 2: milvus\.port: invalid port 0/);
        assert.match(e.message, /line 4: minio\.useSSL: "maybe" is not a boolean/);
        assert.doesNotMatch(e.message, /VerySecretValue/);
        return true;
      },
    );
  });
  test('returns the config when there are only warnings', () => {
    assert.equal(loadConfigOrThrow({ text: 'minio:\n  adress: x\n', env: {} }).config.milvus.storage.address, 'localhost');
  });
});

describe('maskSecret', () => {
  test('shows at most an eighth at each end: short secrets fully masked, empty stays empty', () => {
    assert.equal(maskSecret('S3RVER'), '****', 'the Go rule would show S3****ER: 4 of 6 characters');
    assert.equal(maskSecret('abcdefg'), '****');
    assert.equal(maskSecret('minioadmin'), 'm****n');
    assert.equal(maskSecret('0123456789abcdef'), '01****ef');
    assert.equal(maskSecret('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'), 'wJ****EY');
    assert.equal(maskSecret('a'), '****');
    assert.equal(maskSecret(''), '');
    for (const s of ['abcdefgh', 'abcdefghijklmno', 'abcdefghijklmnop', 'x'.repeat(40)]) {
      const visible = maskSecret(s).replace('****', '').length;
      assert.ok(visible * 4 <= s.length, `${s}: ${visible} of ${s.length} visible`);
    }
  });
});

describe('loadCliConfig', () => {
  function ctx(config: string, env: NodeJS.ProcessEnv = {}) {
    const err: string[] = [];
    const c: CliContext = { globals: () => ({ config, set: [], configExplicit: true }), out: () => {}, err: (s) => err.push(s), errWrite: (s) => err.push(s), stderrIsTTY: false, env };
    return { c, err };
  }
  test('prints warnings to stderr once per context', () => {
    const f = join(dir, 'warn.yaml');
    writeFileSync(f, 'minio:\n  adress: x\n  backupRootPath: backup\n');
    const { c, err } = ctx(f);
    loadCliConfig(c);
    loadCliConfig(c);
    assert.equal(err.filter((l) => l.includes('minio.adress')).length, 1);
    assert.match(err[0], /^warning: .*warn\.yaml:2: Unknown key minio\.adress/);
  });
  test('throws a UserError listing the errors', () => {
    const f = join(dir, 'bad.yaml');
    writeFileSync(f, 'milvus:\n  port: abc\n');
    const { c } = ctx(f);
    assert.throws(() => loadCliConfig(c), /invalid configuration: .*bad\.yaml:2: milvus\.port: "abc" is not an integer/);
  });
});
