/** The editor-facing key API: hover text, completion children and values, from the loader's own tables. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { childKeys, keyInfo, schemaVersionOfText, valuesFor } from '../../../src/core/config';

describe('keyInfo', () => {
  test('hover of a key: doc, default, env, version (case-insensitive)', () => {
    const k = keyInfo('MILVUS.PORT', 'v1')!;
    assert.equal(k.key, 'milvus.port');
    assert.equal(k.kind, 'key');
    assert.match(k.markdown, /\*\*Default:\*\* `19530`/);
    assert.match(k.markdown, /`MILVUS_PORT`/);
    assert.match(k.markdown, /\*\*Schema:\*\* v1/);
  });
  test('a deprecated spelling names the replacement', () => {
    const k = keyInfo('minio.cloudProvider', 'v1')!;
    assert.equal(k.kind, 'obsolete');
    assert.match(k.markdown, /Deprecated:\*\* use `minio\.storageType`/);
    assert.match(keyInfo('backup.gcPause.seconds', 'v1')!.markdown, /No longer read/);
  });
  test('sections and v2 keys', () => {
    assert.equal(keyInfo('backup.storage', 'v2')!.kind, 'section');
    assert.match(keyInfo('backup.storage.rootPath', 'v2')!.markdown, /Default:\*\* `backup`/);
    assert.equal(keyInfo('milvus.port', 'v2'), undefined);
  });
  test('completion children of the root and of a section', () => {
    const root = childKeys('', 'v2').map((c) => c.name).sort();
    assert.deepEqual(root, ['backup', 'configVersion', 'log', 'milvus', 'restore', 'server', 'transfer', 'zillizCloud']);
    const auth = childKeys('milvus.storage.auth', 'v2').map((c) => c.name).sort();
    assert.deepEqual(auth, ['accessKeyID', 'accountKey', 'credentialsFile', 'endpoint', 'secretAccessKey', 'sessionToken', 'type']);
    const minio = childKeys('minio', 'v1');
    assert.ok(minio.some((c) => c.name === 'backupIamEndpoint' && c.kind === 'key'));
    assert.ok(!minio.some((c) => c.name === 'cloudProvider'), 'deprecated spellings are not offered');
  });
  test('values for enums and booleans', () => {
    assert.deepEqual(valuesFor('milvus.grpc.tlsMode', 'v2'), ['disabled', 'server', 'mutual']);
    assert.deepEqual(valuesFor('minio.useSSL', 'v1'), ['true', 'false']);
    assert.ok(valuesFor('minio.storageType', 'v1').includes('tc'));
    assert.ok(!valuesFor('milvus.storage.provider', 'v2').includes('tc'));
    assert.deepEqual(valuesFor('minio.address', 'v1'), []);
  });
  test('schema version of a text', () => {
    assert.equal(schemaVersionOfText('# c\nconfigVersion: v2 # new\n'), 'v2');
    assert.equal(schemaVersionOfText('configVersion: "V2"\n'), 'v2');
    assert.equal(schemaVersionOfText('minio:\n  port: 1\n'), 'v1');
  });
});
