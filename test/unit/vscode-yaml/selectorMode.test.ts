import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateConfigText } from '../../../src/core/config';
import { expressibleBySchema, parseMode, problemsToPublish } from '../../../src/vscode/yaml/mode';
import { isConfigDocument, isConfigFileName, looksLikeConfig } from '../../../src/vscode/yaml/selector';

describe('which documents are configs', () => {
  test('by name: backup.yaml and backup-*.yaml, in any folder', () => {
    for (const n of ['backup.yaml', '/w/configs/backup.yaml', 'C:\\w\\backup-prod.yaml', 'backup-s3.yaml', 'Backup.YAML']) assert.equal(isConfigFileName(n), true, n);
    for (const n of ['backup.yml', 'mybackup.yaml', 'backup-.yaml', 'backup.yaml.bak', 'docker-compose.yaml']) assert.equal(isConfigFileName(n), false, n);
  });

  test('by content: configVersion, or milvus and minio at the top level', () => {
    assert.equal(looksLikeConfig('configVersion: v2\nmilvus:\n  grpc: {}\n'), true);
    assert.equal(looksLikeConfig('# c\nmilvus:\n  address: x\nminio:\n  address: y\n'), true);
    assert.equal(looksLikeConfig('milvus:\n  address: x\n'), false);
    assert.equal(looksLikeConfig('services:\n  minio:\n    image: x\n  milvus:\n    image: y\n'), false, 'nested keys do not count');
    assert.equal(isConfigDocument('prod.yaml', 'configVersion: v2\n'), true);
    assert.equal(isConfigDocument('compose.yaml', 'services: {}\n'), false);
  });
});

describe('validation.mode', () => {
  const text = 'configVersion: v2\nmilvus:\n  password: hunter22\n  grpc:\n    port: 70000\n    tlsMode: sever\n';
  const problems = validateConfigText(text, { env: {} });
  const codes = (ps: { code: string }[]) => ps.map((p) => p.code).sort();

  test('unknown values fall back to auto', () => {
    assert.equal(parseMode('builtin'), 'builtin');
    assert.equal(parseMode('off'), 'off');
    assert.equal(parseMode('bogus'), 'auto');
    assert.equal(parseMode(undefined), 'auto');
  });

  test('off publishes nothing; builtin and auto without Red Hat YAML publish everything', () => {
    assert.ok(problems.length >= 3);
    assert.deepEqual(problemsToPublish(problems, 'off', false, 'v2'), []);
    assert.deepEqual(codes(problemsToPublish(problems, 'builtin', true, 'v2')), codes(problems));
    assert.deepEqual(codes(problemsToPublish(problems, 'auto', false, 'v2')), codes(problems));
  });

  test('auto with the schema applied by Red Hat YAML drops what the schema reports (range, enum), keeps the rest', () => {
    const shown = codes(problemsToPublish(problems, 'auto', true, 'v2'));
    assert.ok(codes(problems).includes('port-out-of-range'));
    assert.ok(codes(problems).includes('invalid-enum'));
    assert.ok(!shown.includes('port-out-of-range'));
    assert.ok(!shown.includes('invalid-enum'));
    assert.ok(shown.includes('plaintext-secret'), 'a schema cannot say "this is a secret"');
  });

  test('v1 enums are not in the schema, so they stay', () => {
    assert.equal(expressibleBySchema({ key: 'milvus.tlsMode', code: 'invalid-enum', severity: 'error', message: '' }, 'v1'), false);
    assert.equal(expressibleBySchema({ key: 'x', code: 'invalid-enum', severity: 'error', message: '' }, 'v2'), true);
    assert.equal(expressibleBySchema({ key: 'x', code: 'schema-type', severity: 'warning', message: '' }, 'v2'), true);
    assert.equal(expressibleBySchema({ key: 'x', code: 'case-duplicate', severity: 'warning', message: '' }, 'v2'), false);
  });
});
