/**
 * The 40 configs the Go tool shipped across its history (`../shared/fixtures/milvus-backup-configs/`) validate
 * with zero errors: the acceptance rule of that folder's INDEX.md. The three v1 Azure samples ship empty
 * credentials for CI to supply through the four env vars INDEX.md names.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadConfig, validateConfigText } from '../../../src/core/config';

const DIR = join(__dirname, '..', '..', '..', '..', 'shared', 'fixtures', 'milvus-backup-configs');
const ENV_FILES = ['v0.5.9__configs_backup-azure.yaml', 'v0.5.10__configs_backup-azure.yaml', 'v0.5.12__configs_backup-azure.yaml'];
const AZURE_ENV = { MINIO_ACCESS_KEY: 'account1', MINIO_SECRET_KEY: 'key1', MINIO_BACKUP_ACCESS_KEY: 'account2', MINIO_BACKUP_SECRET_KEY: 'key2' };

const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

describe('shipped milvus-backup configs', () => {
  test('all 39 configs are there (40 files with INDEX.md)', () => {
    assert.equal(files.length, 39);
    for (const f of ENV_FILES) assert.ok(files.includes(f), f);
  });
  for (const f of files) {
    test(`${f}: zero errors`, () => {
      const text = readFileSync(join(DIR, f), 'utf8');
      const problems = validateConfigText(text, { fileName: f, env: ENV_FILES.includes(f) ? AZURE_ENV : {} });
      const errors = problems.filter((p) => p.severity === 'error');
      assert.deepEqual(errors.map((p) => `${p.range?.line}: ${p.message}`), []);
      // the schema version is recognised the way the Go loader does
      const expected = /^configVersion:\s*v2\s*$/m.test(text) ? 'v2' : 'v1';
      assert.equal(loadConfig({ text, env: {} }).config.sourceVersion, expected);
    });
  }
  test('the Azure samples without their env vars: the errors HEAD reports (account name and key, both sides)', () => {
    const text = readFileSync(join(DIR, 'v0.5.12__configs_backup-azure.yaml'), 'utf8');
    const codes = validateConfigText(text, { env: {} }).filter((p) => p.severity === 'error').map((p) => `${p.key}:${p.code}`).sort();
    assert.deepEqual(codes, [
      'minio.accessKeyID:azure-account-name-required',
      'minio.backupAccessKeyID:azure-account-name-required',
      'minio.backupSecretAccessKey:azure-account-key-required',
      'minio.secretAccessKey:azure-account-key-required',
    ]);
  });
  test('v0.5.12 sample resolves to the values its text gives', () => {
    const { config } = loadConfig({ text: readFileSync(join(DIR, 'v0.5.12__configs_backup.yaml'), 'utf8'), env: {} });
    assert.equal(config.milvus.grpc.port, 19530);
    assert.equal(config.milvus.storage.bucketName, 'a-bucket');
    assert.equal(config.backup.storage.rootPath, 'backup');
    assert.equal(config.transfer.mode, 'auto');
    assert.deepEqual(config.milvus.etcd.endpoints, ['127.0.0.1:2379']);
  });
  test('HEAD complete.yaml (every v2 key set once) resolves every key from the file', () => {
    const { sources, config } = loadConfig({ text: readFileSync(join(DIR, 'HEAD__internal_cfg_v2_testdata_complete.yaml'), 'utf8'), env: {} });
    assert.equal(config.milvus.grpc.tlsMode, 'mutual');
    assert.equal(config.transfer.mode, 'streaming');
    assert.equal(config.milvus.etcd.endpoints.length, 2);
    assert.equal(sources['milvus.storage.auth.sessionToken'].source, 'config');
  });
});
