import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateConfigText, type ConfigProblem } from '../../../src/core/config';
import { fixesFor, MIGRATE_COMMAND, type Edit } from '../../../src/vscode/yaml/fixes';

/** Applies edits (0-based, non-overlapping) the way a WorkspaceEdit would. */
function apply(text: string, edits: Edit[]): string {
  const lines = text.split('\n');
  const offset = (l: number, c: number) => lines.slice(0, l).reduce((n, x) => n + x.length + 1, 0) + c;
  const sorted = [...edits].sort((a, b) => offset(b.line, b.character) - offset(a.line, a.character));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.line, e.character)) + e.newText + out.slice(offset(e.endLine, e.endCharacter));
  return out;
}

function problem(text: string, code: string): ConfigProblem {
  const p = validateConfigText(text, { env: {} }).find((x) => x.code === code);
  assert.ok(p, `the validator reports ${code}`);
  return p;
}

/** The one preferred fix of `code`, applied; the result re-validated must no longer have that problem. */
function fixed(text: string, code: string): { text: string; title: string } {
  const p = problem(text, code);
  const fixes = fixesFor(p, text).filter((f) => f.edits.length);
  assert.equal(fixes.length, 1, `one edit fix for ${code}`);
  const out = apply(text, fixes[0].edits);
  const again = validateConfigText(out, { env: {} }).filter((x) => x.code === code && x.key === p.key);
  assert.deepEqual(again, [], `${code} is gone after the fix`);
  return { text: out, title: fixes[0].title };
}

describe('quick fixes', () => {
  test('a deprecated key is renamed in place', () => {
    const r = fixed('http:\n  debug_mode: true\n', 'deprecated-key');
    assert.equal(r.text, 'http:\n  debugMode: true\n');
    assert.match(r.title, /Rename to debugMode/);
  });

  test('no rename onto a key the block already has (it would be a duplicate key)', () => {
    const text = 'http:\n  debugMode: false\n  debug_mode: true\n';
    assert.deepEqual(fixesFor(problem(text, 'deprecated-key'), text), []);
  });

  test('a v1 key in a v2 file moves under its v2 section, creating the sections it lacks', () => {
    const r = fixed('configVersion: v2\nmilvus:\n  address: x  # proxy\n  user: root\n', 'v1-key-in-v2');
    assert.equal(r.text, 'configVersion: v2\nmilvus:\n  grpc:\n    address: x  # proxy\n  user: root\n');
    assert.equal(r.title, 'Move to milvus.grpc.address');
    const into = fixed('configVersion: v2\nmilvus:\n    grpc:\n        port: 1\n    address: x\n', 'v1-key-in-v2');
    assert.equal(into.text, 'configVersion: v2\nmilvus:\n    grpc:\n        address: x\n        port: 1\n');
    const last = fixed('configVersion: v2\nmilvus:\n  grpc:\n    port: 1\n  tlsMode: server', 'v1-key-in-v2');
    assert.equal(last.text, 'configVersion: v2\nmilvus:\n  grpc:\n    tlsMode: server\n    port: 1');
    const adjacent = fixed('configVersion: v2\nmilvus:\n  grpc:\n  tlsMode: server', 'v1-key-in-v2');
    assert.equal(adjacent.text, 'configVersion: v2\nmilvus:\n  grpc:\n    tlsMode: server');
  });

  test('no move onto a key that is already written', () => {
    const text = 'configVersion: v2\nmilvus:\n  grpc:\n    address: y\n  address: x\n';
    assert.deepEqual(fixesFor(problem(text, 'v1-key-in-v2'), text), []);
  });

  test('an enum typo becomes the closest value, keeping the quotes', () => {
    assert.equal(fixed('configVersion: v2\nmilvus:\n  grpc:\n    tlsMode: sever\n', 'invalid-enum').text, 'configVersion: v2\nmilvus:\n  grpc:\n    tlsMode: server\n');
    assert.equal(fixed('configVersion: v2\nmilvus:\n  grpc:\n    tlsMode: "sever"  # x\n', 'invalid-enum').text, 'configVersion: v2\nmilvus:\n  grpc:\n    tlsMode: "server"  # x\n');
    assert.equal(fixed('minio:\n  storageType: mino\n', 'invalid-enum').text, 'minio:\n  storageType: minio\n');
  });

  test('yes/no become the boolean ParseBool accepts', () => {
    assert.equal(fixed('minio:\n  useSSL: yes\n', 'invalid-bool').text, 'minio:\n  useSSL: true\n');
  });

  test('a plaintext secret is removed, with a comment naming the env var the tool reads', () => {
    const r = fixed('configVersion: v2\nmilvus:\n  password: hunter22\n', 'plaintext-secret');
    assert.equal(r.text, 'configVersion: v2\nmilvus:\n  password: ""  # set MILVUS_PASSWORD in the environment\n');
    assert.match(r.title, /MILVUS_PASSWORD/);
    // An existing comment is kept and no second one is added.
    const kept = fixed('minio:\n  secretAccessKey: abcdefgh # prod\n', 'plaintext-secret');
    assert.equal(kept.text, 'minio:\n  secretAccessKey: "" # prod\n');
  });

  test('a leading "/" is removed from a root path', () => {
    const r = fixed('configVersion: v2\nmilvus:\n  storage:\n    provider: s3\n    rootPath: /files\n', 'root-path-leading-slash');
    assert.match(r.text, /rootPath: files\n/);
  });

  test('an unknown schema version becomes v2', () => {
    assert.equal(fixed('configVersion: v3\n', 'invalid-config-version').text, 'configVersion: v2\n');
  });

  test('v2 keys without configVersion: add it at the top, or migrate', () => {
    const text = 'milvus:\n  grpc:\n    address: x\n';
    const fixes = fixesFor(problem(text, 'v2-key-in-v1'), text);
    assert.equal(fixes.length, 2);
    assert.equal(apply(text, fixes[0].edits), `configVersion: v2\n${text}`);
    assert.deepEqual(validateConfigText(apply(text, fixes[0].edits), { env: {} }).filter((p) => p.code === 'v2-key-in-v1'), []);
    assert.equal(fixes[1].command, MIGRATE_COMMAND);
  });

  test('a v1 file is offered the migration', () => {
    const text = 'milvus:\n  address: x\n';
    assert.deepEqual(fixesFor(problem(text, 'v1-schema'), text).map((f) => f.command), [MIGRATE_COMMAND]);
  });

  test('v1 without backupRootPath: the key is written next to rootPath, or first in the minio block', () => {
    const a = 'minio:\n  address: m\n  rootPath: files\n  useSSL: false\n';
    const fa = fixesFor(problem(a, 'backup-root-inherited'), a);
    assert.equal(fa.length, 1);
    const outA = apply(a, fa[0].edits);
    assert.equal(outA, 'minio:\n  address: m\n  rootPath: files\n  backupRootPath: backup\n  useSSL: false\n');
    assert.deepEqual(validateConfigText(outA, { env: {} }).filter((x) => x.code === 'backup-root-inherited'), []);
    const b = 'minio:\n    address: m\n';
    const fb = fixesFor(problem(b, 'backup-root-inherited'), b);
    assert.equal(apply(b, fb[0].edits), 'minio:\n    backupRootPath: backup\n    address: m\n');
  });

  test('a key milvus-backup no longer reads is removed', () => {
    const r = fixed('http:\n  simpleResponse: true\n  debugMode: true\n', 'removed-key');
    assert.equal(r.text, 'http:\n  debugMode: true\n');
    assert.match(r.title, /^Remove http\.simpleResponse/);
  });

  test('an unknown key: rename to the suggestion (preferred) or remove', () => {
    const text = 'configVersion: v2\nmilvus:\n  grpc:\n    adress: x\n';
    const fixes = fixesFor(problem(text, 'unknown-key'), text);
    assert.deepEqual(fixes.map((f) => f.title), ['Rename to address (milvus.grpc.address)', 'Remove milvus.grpc.adress (milvus-backup ignores it)']);
    assert.equal(fixes[0].preferred, true);
    assert.equal(apply(text, fixes[1].edits), 'configVersion: v2\nmilvus:\n  grpc:\n');
  });

  test('problems without a fix get none', () => {
    const text = 'configVersion: v2\nmilvus:\n  grpc:\n    tlsMode: mutual\n';
    assert.deepEqual(fixesFor(problem(text, 'mtls-incomplete'), text), [], 'a cross-field rule has no one-line fix');
    const dup = 'configVersion: v2\nMilvus:\n  user: a\nmilvus:\n  password: ""\n';
    assert.deepEqual(fixesFor(problem(dup, 'case-duplicate'), dup), []);
  });
});
