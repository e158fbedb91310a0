/** `milvus-backup config validate|show|migrate`, run in-process through runCli. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../../../src/cli/program';
import { loadConfig, type ResolvedConfig } from '../../../src/core/config';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cfg-cli-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (s) => out.push(s), err: (s) => err.push(s), env, isTTY: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'shared', 'fixtures', 'milvus-backup-configs');

describe('config validate', () => {
  test('a good file: exit 0 and a summary line', async () => {
    const f = file('good.yaml', 'configVersion: v2\nbackup:\n  storage:\n    bucketName: backups\n');
    const r = await cli(['config', 'validate', f]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /good\.yaml: 0 errors, 0 warnings \(v2 config\)/);
  });
  test('--json: the documented shape, 1-based lines, exit 1 on an error', async () => {
    const f = file('bad.yaml', 'minio:\n  useSSL: yes\n  adress: x\n  backupRootPath: backup\n');
    const r = await cli(['config', 'validate', f, '--json']);
    assert.equal(r.code, 1);
    const arr = JSON.parse(r.out) as Record<string, unknown>[];
    const ssl = arr.find((p) => p.code === 'invalid-bool')!;
    assert.deepEqual(
      { line: ssl.line, column: ssl.column, end_line: ssl.end_line, end_column: ssl.end_column, severity: ssl.severity },
      { line: 2, column: 11, end_line: 2, end_column: 14, severity: 'error' },
    );
    assert.equal(typeof ssl.message, 'string');
    assert.equal(arr.find((p) => p.code === 'unknown-key')!.severity, 'warning');
    for (const p of arr) for (const k of ['line', 'column', 'end_line', 'end_column', 'severity', 'code', 'message']) assert.ok(k in p, k);
    assert.match(r.err, /1 error in the configuration/);
  });
  test('without FILE: the --config file', async () => {
    const f = file('via-config.yaml', 'milvus:\n  port: 0\n');
    const r = await cli(['--config', f, 'config', 'validate']);
    assert.equal(r.code, 1);
    assert.match(r.out, /via-config\.yaml:2:9: error: milvus\.port: invalid port 0/);
  });
  test('a missing file: exit 1', async () => {
    const r = await cli(['config', 'validate', join(dir, 'nope.yaml')]);
    assert.equal(r.code, 1);
    assert.match(r.out, /not found/);
  });
  test('env vars are part of the verdict (the Azure sample needs its four)', async () => {
    const f = join(FIXTURES, 'v0.5.12__configs_backup-azure.yaml');
    assert.equal((await cli(['config', 'validate', f])).code, 1);
    const env = { MINIO_ACCESS_KEY: 'a', MINIO_SECRET_KEY: 'b', MINIO_BACKUP_ACCESS_KEY: 'c', MINIO_BACKUP_SECRET_KEY: 'd' };
    assert.equal((await cli(['config', 'validate', f], env)).code, 0);
  });
});

describe('config show', () => {
  test('every value with source and source key, secrets masked, env shadowing flagged', async () => {
    const f = file('show.yaml', 'milvus:\n  password: Milvus123\n  port: 19530\nminio:\n  address: from-file\n');
    const r = await cli(['--config', f, '--set', 'minio.port=9009', 'config', 'show'], { MINIO_ADDRESS: 'from-env', MINIO_SECRET_KEY: 'SuperSecret99' });
    assert.equal(r.code, 0, r.err);
    const row = (key: string) => r.out.split('\n').find((l) => l.startsWith(`${key} `))!.split(/\s{2,}/);
    assert.deepEqual(row('milvus.password'), ['milvus.password', 'M****3', 'config', 'milvus.password']);
    assert.deepEqual(row('minio.address'), ['minio.address', 'from-env', 'env', 'MINIO_ADDRESS', 'shadows minio.address in the file']);
    assert.deepEqual(row('minio.port'), ['minio.port', '9009', 'override', 'minio.port']);
    assert.deepEqual(row('minio.secretAccessKey'), ['minio.secretAccessKey', 'S****9', 'env', 'MINIO_SECRET_KEY']);
    assert.deepEqual(row('minio.backupAddress'), ['minio.backupAddress', 'from-env', 'default', '(inherits minio.address)']);
    assert.deepEqual(row('log.level').slice(0, 3), ['log.level', 'info', 'default']);
    assert.doesNotMatch(r.out + r.err, /Milvus123|SuperSecret99/);
    assert.match(r.err, /warning: environment variable MINIO_ADDRESS overrides minio\.address from .*show\.yaml/);
  });
  test('--json', async () => {
    const f = file('show2.yaml', 'configVersion: v2\nmilvus:\n  grpc:\n    port: 19531\n');
    const r = await cli(['--config', f, 'config', 'show', '--json']);
    const rows = JSON.parse(r.out) as { key: string; value: string; source: string }[];
    assert.deepEqual(rows.find((x) => x.key === 'milvus.grpc.port'), { key: 'milvus.grpc.port', value: '19531', source: 'config', source_key: 'milvus.grpc.port', secret: false });
    assert.equal(rows.length, 70, 'every v2 parameter');
  });
  test('a config with errors: table printed, exit 1', async () => {
    const f = file('show3.yaml', 'milvus:\n  port: 0\n');
    const r = await cli(['--config', f, 'config', 'show']);
    assert.equal(r.code, 1);
    assert.match(r.out, /milvus\.port\s+0\s+config/);
    assert.match(r.err, /error: .*show3\.yaml:2: milvus\.port: invalid port 0/);
  });
});

/** The v1 file and its migration must resolve to the same engine config. */
function comparable(c: ResolvedConfig): unknown {
  const { sourceVersion: _v, file: _f, ...rest } = c;
  return rest;
}

describe('config migrate', () => {
  test('writes v2 to stdout; the result loads as v2 with the same values', async () => {
    const src = join(FIXTURES, 'v0.5.12__configs_backup.yaml');
    const r = await cli(['--config', src, 'config', 'migrate']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^# Migrated.*\nconfigVersion: v2\n/);
    const v2 = loadConfig({ text: r.out, env: {} });
    assert.equal(v2.config.sourceVersion, 'v2');
    assert.deepEqual(v2.problems.filter((p) => p.severity === 'error'), []);
    assert.deepEqual(comparable(v2.config), comparable(loadConfig({ file: src, fileExplicit: true, env: {} }).config));
  });
  test('a secret from an env var is referenced, not copied', async () => {
    const src = file('envsecret.yaml', 'minio:\n  address: s3.example\n  backupRootPath: backup\n');
    const r = await cli(['--config', src, 'config', 'migrate'], { MINIO_SECRET_KEY: 'EnvOnlySecret1', MILVUS_PASSWORD: 'EnvPassword1' });
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.out, /EnvOnlySecret1|EnvPassword1/);
    assert.match(r.out, /# set via env MILVUS_STORAGE_AUTH_SECRET_ACCESS_KEY\n\s+secretAccessKey: ""/);
    assert.match(r.out, /# set via env MILVUS_PASSWORD\n\s+password: ""/);
    assert.match(r.err, /MINIO_SECRET_KEY -> MILVUS_STORAGE_AUTH_SECRET_ACCESS_KEY/);
    // the backup side inherited the env secret: referenced too
    assert.match(r.out, /# set via env BACKUP_STORAGE_AUTH_SECRET_ACCESS_KEY/);
    // with the v2 variables set, the v2 file resolves to what the v1 file did
    const v2 = loadConfig({ text: r.out, env: { MILVUS_STORAGE_AUTH_SECRET_ACCESS_KEY: 'EnvOnlySecret1', BACKUP_STORAGE_AUTH_SECRET_ACCESS_KEY: 'EnvOnlySecret1', MILVUS_PASSWORD: 'EnvPassword1' } });
    const v1 = loadConfig({ file: src, fileExplicit: true, env: { MINIO_SECRET_KEY: 'EnvOnlySecret1', MILVUS_PASSWORD: 'EnvPassword1' } });
    assert.deepEqual(comparable(v2.config), comparable(v1.config));
  });
  test('-o writes the file (0600), refuses to overwrite without --force', async () => {
    const src = join(FIXTURES, 'v0.5.4__configs_backup.yaml');
    const out = join(dir, 'migrated.yaml');
    const a = await cli(['config', 'migrate', '--config', src, '-o', out]);
    assert.equal(a.code, 0, a.err);
    assert.match(a.err, /wrote v2 config to/);
    assert.equal(statSync(out).mode & 0o777, 0o600);
    const first = readFileSync(out, 'utf8');
    assert.match(first, /configVersion: v2/);
    writeFileSync(out, 'keep me\n');
    const b = await cli(['config', 'migrate', '--config', src, '-o', out]);
    assert.equal(b.code, 1);
    assert.match(b.err, /already exists, use --force to overwrite/);
    assert.equal(readFileSync(out, 'utf8'), 'keep me\n');
    const c = await cli(['config', 'migrate', '--config', src, '-o', out, '--force']);
    assert.equal(c.code, 0);
    assert.equal(readFileSync(out, 'utf8'), first);
  });
  test('a file that only fails v2 validation is migrated, with the problems reported (like Go)', async () => {
    const r = await cli(['--config', join(FIXTURES, 'v0.5.12__configs_backup-azure.yaml'), 'config', 'migrate']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /warning: migrated config is not valid v2: milvus\.storage\.accountName is required for the azure provider/);
    assert.match(r.out, /provider: azure/);
    const strict = await cli(['--config', join(FIXTURES, 'v0.5.12__configs_backup-azure.yaml'), 'config', 'migrate', '--strict']);
    assert.equal(strict.code, 1);
    assert.match(strict.err, /not valid v2 \(--strict\)/);
  });
  test('a file v1 cannot read is refused', async () => {
    const r = await cli(['--config', file('unreadable.yaml', 'minio:\n  useSSL: yes\n'), 'config', 'migrate']);
    assert.equal(r.code, 1);
    assert.match(r.err, /cannot migrate .*line 2: minio\.useSSL: "yes" is not a boolean/);
  });
  test('a v2 file is refused', async () => {
    const r = await cli(['--config', join(FIXTURES, 'HEAD__configs_backup.yaml'), 'config', 'migrate']);
    assert.equal(r.code, 1);
    assert.match(r.err, /already a v2 config/);
  });
  test('a missing file is refused', async () => {
    const r = await cli(['--config', join(dir, 'missing.yaml'), 'config', 'migrate', '-o', join(dir, 'x.yaml')]);
    assert.equal(r.code, 1);
    assert.equal(existsSync(join(dir, 'x.yaml')), false);
  });
  test('every shipped v1 config migrates to a v2 file that loads to the same config', async () => {
    const azureV1 = { MINIO_ACCESS_KEY: 'acct1', MINIO_SECRET_KEY: 'key1', MINIO_BACKUP_ACCESS_KEY: 'acct2', MINIO_BACKUP_SECRET_KEY: 'key2' };
    const azureV2 = { MILVUS_STORAGE_AUTH_ACCOUNT_KEY: 'key1', BACKUP_STORAGE_AUTH_ACCOUNT_KEY: 'key2' };
    const v1Files = readdirSync(FIXTURES).filter((f) => f.endsWith('.yaml') && !f.startsWith('HEAD__'));
    assert.ok(v1Files.length >= 25);
    for (const f of v1Files) {
      const azure = f.includes('azure');
      const r = await cli(['--config', join(FIXTURES, f), 'config', 'migrate'], azure ? azureV1 : {});
      assert.equal(r.code, 0, `${f}: ${r.err}`);
      const v2 = loadConfig({ text: r.out, env: azure ? azureV2 : {} });
      assert.deepEqual(v2.problems.filter((p) => p.severity === 'error').map((p) => p.message), [], f);
      const v1 = loadConfig({ file: join(FIXTURES, f), fileExplicit: true, env: azure ? azureV1 : {} });
      assert.deepEqual(comparable(v2.config), comparable(v1.config), f);
    }
  });
});
