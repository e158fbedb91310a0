import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadConfig, validateConfigText } from '../../../src/core/config';
import { renderEffective } from '../../../src/vscode/yaml/effectiveView';
import { BACKUP_YAML_TEMPLATE } from '../../../src/vscode/yaml/template';

describe('Create backup.yaml template', () => {
  test('is a v2 config with no errors and no warnings, commented', () => {
    const problems = validateConfigText(BACKUP_YAML_TEMPLATE, { env: {} });
    assert.deepEqual(problems.filter((p) => p.severity !== 'information'), []);
    assert.equal(loadConfig({ text: BACKUP_YAML_TEMPLATE, env: {} }).config.sourceVersion, 'v2');
    assert.ok(BACKUP_YAML_TEMPLATE.split('\n').filter((l) => l.includes('#')).length >= 15);
  });

  test('holds no secret: the comments name the env vars instead', () => {
    const loaded = loadConfig({ text: BACKUP_YAML_TEMPLATE, env: {} });
    for (const [key, s] of Object.entries(loaded.sources)) if (s.secret) assert.notEqual(s.source, 'config', key);
    assert.match(BACKUP_YAML_TEMPLATE, /MILVUS_PASSWORD/);
    assert.match(BACKUP_YAML_TEMPLATE, /MILVUS_STORAGE_AUTH_SECRET_ACCESS_KEY/);
  });
});

describe('Show Effective Configuration text', () => {
  const text = 'configVersion: v2\nmilvus:\n  password: filepassword\n  grpc:\n    port: 19531\n';
  const env = { MILVUS_PASSWORD: 'envsecret99', BACKUP_STORAGE_AUTH_SECRET_ACCESS_KEY: 'backupkey77' };
  const out = renderEffective(loadConfig({ text, env, set: ['milvus.grpc.address=h1'] }), 'backup.yaml');
  const line = (key: string) => out.split('\n').find((l) => l.startsWith(`${key}:`)) ?? '';

  test('every parameter, with where its value came from', () => {
    assert.match(line('milvus.grpc.port'), /^milvus\.grpc\.port: 19531 +# file \(milvus\.grpc\.port\)$/);
    assert.match(line('milvus.grpc.address'), /: h1 +# --set milvus\.grpc\.address$/);
    assert.match(line('milvus.grpc.tlsMode'), /: disabled +# default$/);
    assert.match(line('backup.storage.bucketName'), /# default: inherits milvus\.storage\.bucketName/);
    assert.ok(out.split('\n').filter((l) => /^[a-zA-Z]/.test(l)).length > 40);
  });

  test('secrets masked, never in the text; an env var hiding a file value is flagged', () => {
    assert.ok(!out.includes('envsecret99') && !out.includes('filepassword') && !out.includes('backupkey77'));
    assert.match(line('milvus.password'), /: e\*\*\*\*9 +# env MILVUS_PASSWORD · secret · overrides the file value of milvus\.password$/);
    assert.match(line('backup.storage.auth.secretAccessKey'), /: b\*\*\*\*7 +# env BACKUP_STORAGE_AUTH_SECRET_ACCESS_KEY · secret$/);
    assert.match(out, /^# WARNING: 1 value in the file is overridden/m);
  });

  test('errors and warnings are listed at the top, with their lines', () => {
    const bad = renderEffective(loadConfig({ text: 'configVersion: v2\nmilvus:\n  grpc:\n    tlsMode: sever\n', env: {} }), 'backup.yaml');
    assert.match(bad, /^# 1 error, 0 warnings:$/m);
    assert.match(bad, /^# {3}error \(line 4\): milvus\.grpc\.tlsMode: invalid value "sever"/m);
    assert.match(out, /^# 0 errors, 1 warning:$/m, 'the plaintext password in the file');
    assert.match(out, /^# {3}warning \(line 3\): milvus\.password holds a secret in plain text/m);
  });
});
