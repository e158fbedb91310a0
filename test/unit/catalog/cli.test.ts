import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../src/cli/program';
import { JsonNumber, toBackupInfoBrief, stringifyBackupInfoBrief, parseBackupInfo, parseLossless } from '../../../src/core/meta';
import { createObjectStore, type ObjectStore } from '../../../src/core/storage';
import { startS3Server, type S3ServerHandle } from '../../servers/s3';
import { FIXTURE_ROOT, fixtureMeta, uploadFixture } from './fixture';

/** The CLI's list/get/delete in-process against the embedded S3 server, config from a temp backup.yaml. */

let s3: S3ServerHandle;
let dir: string;
let store: ObjectStore;
let env: NodeJS.ProcessEnv;

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['--config', join(dir, 'backup.yaml'), ...argv], {
    out: (s) => out.push(s), err: (s) => err.push(s), env, isTTY: false,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const META_FILES = ['backup_meta.json', 'collection_meta.json', 'partition_meta.json', 'segment_meta.json', 'full_meta.json'];

describe('CLI list/get/delete on the embedded S3 server', () => {
  before(async () => {
    s3 = await startS3Server({ buckets: ['backup-bucket', 'milvus-bucket'] });
    dir = await mkdtemp(join(tmpdir(), 'cli-catalog-'));
    await writeFile(join(dir, 'backup.yaml'), [
      'minio:',
      '  storageType: minio',
      `  address: ${s3.host}`,
      `  port: ${s3.port}`,
      '  useSSL: false',
      '  bucketName: milvus-bucket',
      '  rootPath: files',
      '  backupBucketName: backup-bucket',
      '  backupRootPath: backup',
      '',
    ].join('\n'));
    // secrets through the environment, as the config loader advises (no plain-text warning on stderr)
    env = { MINIO_ACCESS_KEY: s3.accessKey, MINIO_SECRET_KEY: s3.secretKey };
    store = createObjectStore({
      provider: 'minio', address: s3.host, port: s3.port, region: '', useSSL: false, accountName: '',
      bucketName: 'backup-bucket', rootPath: 'backup', localPath: '',
      auth: { type: 'static', accessKeyID: s3.accessKey, secretAccessKey: s3.secretKey, sessionToken: '', accountKey: '', credentialsFile: '', endpoint: '' },
    });
    await uploadFixture(store, 'backup-bucket', 'backup');
  });

  after(async () => {
    await store?.close();
    await s3?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('list prints ">> Backups:" then the complete backups only, as the Go tool does; leftovers noted on stderr', async () => {
    const r = await run('list');
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, '>> Backups:\nnightly_full\nweekly_levels');
    assert.equal(r.err, 'note: 1 folder is not a complete backup (crashed_run); list --all shows why');
  });

  test('list --all prints the leftovers after the backups, in their own section', async () => {
    const r = await run('list', '--all');
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '');
    assert.equal(
      r.out,
      '>> Backups:\nnightly_full\nweekly_levels\n' +
        '>> Incomplete (not restorable; delete -n NAME removes one):\ncrashed_run  [incomplete: no backup/crashed_run/meta/backup_meta.json]',
    );
  });

  test('list --json: [{name, size, milvus_version, incomplete, state, problem}] for every folder, exact sizes', async () => {
    const r = await run('list', '--json');
    assert.equal(r.code, 0, r.err);
    const arr = parseLossless(r.out) as Array<Record<string, unknown>>;
    assert.deepEqual(arr.map((e) => [e.name, (e.size as JsonNumber).text, e.milvus_version, e.incomplete]), [
      ['crashed_run', '0', '', true],
      ['nightly_full', '163441', 'v2.5.4', false],
      ['weekly_levels', '157', 'v2.4.17', false],
    ]);
    assert.deepEqual(Object.keys(arr[0]), ['name', 'size', 'milvus_version', 'incomplete', 'state', 'problem']);
    assert.deepEqual(Object.keys(arr[1]), ['name', 'size', 'milvus_version', 'incomplete', 'state']);
    assert.equal(arr[0].state, 'incomplete');
  });

  test('get -n prints the Go BackupInfoBrief (4-space indent, exact ids, meta_size)', async () => {
    const r = await run('get', '-n', 'nightly_full');
    assert.equal(r.code, 0, r.err);
    const metaSize = META_FILES.reduce((s, f) => s + Buffer.byteLength(fixtureMeta('nightly_full', f)), 0);
    const expected = stringifyBackupInfoBrief(
      toBackupInfoBrief(parseBackupInfo(fixtureMeta('nightly_full', 'full_meta.json')), BigInt(metaSize)),
    );
    assert.equal(r.out, expected);
    // independent checks of the shape Go prints
    assert.ok(r.out.startsWith('{\n    "state_code": 0,\n    "progress": 0,\n    "name": "nightly_full",\n    "collection_backups": [\n        {\n'));
    assert.ok(r.out.includes('\n            "collection_id": 449834567890123456,\n'));
    assert.ok(r.out.includes('\n            "backup_timestamp": 449835012345678849,\n'));
    assert.ok(r.out.includes('"index_id": 449834567890123470'));
    assert.ok(r.out.endsWith(`\n    "meta_size": ${metaSize}\n}`));
    assert.ok(!r.out.includes('partition_backups') && !r.out.includes('rbac_meta'));
    const brief = parseLossless(r.out) as { collection_backups: Array<{ db_id?: unknown; collection_id: { text: string } }> };
    assert.equal(brief.collection_backups[1].collection_id.text, '449834567890223456');
    assert.equal((await run('get', '-n', 'nightly_full', '--json')).out, r.out);
  });

  test('get -n on a backup without full_meta.json rebuilds it from the level files', async () => {
    const r = await run('get', '-n', 'weekly_levels');
    assert.equal(r.code, 0, r.err);
    assert.ok(r.out.includes('"collection_id": 449900000000000001'));
    assert.ok(r.out.includes('"backup_timestamp": 449900000000065537'));
    assert.match(r.out, /\n    "size": 157,\n/);
  });

  test('errors: one clear line, exit 1; usage errors exit 2', async () => {
    const missing = await run('get', '-n', 'nope');
    assert.equal(missing.code, 1);
    assert.equal(missing.err, 'Error: backup "nope" not found: nothing in bucket "backup-bucket" at "backup/nope/"');
    assert.equal(missing.out, '');
    const noName = await run('get');
    assert.equal(noName.code, 2);
    assert.equal(noName.err, 'Error: backup name is required (-n NAME)');
    const bad = await run('delete', '-n', 'x/../y');
    assert.equal(bad.code, 1);
    assert.match(bad.err, /^Error: invalid backup name "x\/..\/y": only letters, digits and underscores are allowed$/);
    const incomplete = await run('get', '-n', 'crashed_run');
    assert.equal(incomplete.code, 1);
    assert.match(incomplete.err, /^Error: backup "crashed_run" is incomplete .*delete -n crashed_run/);
    const noBucket = await run('--set', 'minio.backupBucketName=no-such-bucket', 'list');
    assert.equal(noBucket.code, 1);
    assert.equal(noBucket.err, 'Error: backup bucket "no-such-bucket" does not exist');
    const removed = await run('list', '-c', 'docs');
    assert.equal(removed.code, 2);
    assert.match(removed.err, /-c\/--collection was removed/);
    const noDeleteName = await run('delete');
    assert.equal(noDeleteName.code, 2);
    assert.equal(noDeleteName.err, 'Error: backup name is required (-n NAME)');
  });

  test('--set moves the backup root: an empty root lists no backups', async () => {
    const r = await run('--set', 'minio.backupRootPath=elsewhere', 'list');
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, '>> Backups:');
  });

  test('delete removes an incomplete leftover, then a complete backup, never its sibling', async () => {
    const sibling = 'backup/nightly_full_2/meta/backup_meta.json';
    await store.put('backup-bucket', sibling, Buffer.from('{}'), 2);
    const a = await run('delete', '-n', 'crashed_run');
    assert.equal(a.code, 0, a.err);
    assert.equal(a.out, 'deleted incomplete backup "crashed_run": 1 object, 7 B from bucket "backup-bucket" at "backup/crashed_run/"');
    const b = await run('delete', '-n', 'nightly_full');
    assert.equal(b.code, 0, b.err);
    assert.match(b.out, /^deleted backup "nightly_full": 7 objects, .* from bucket "backup-bucket" at "backup\/nightly_full\/"$/);
    assert.ok(await store.stat('backup-bucket', sibling));
    const left: string[] = [];
    for await (const e of store.list('backup-bucket', 'backup/', { recursive: true })) if (e.type === 'object') left.push(e.key);
    assert.ok(!left.some((k) => k.startsWith('backup/nightly_full/') || k.startsWith('backup/crashed_run/')));
    assert.ok(left.some((k) => k.startsWith('backup/weekly_levels/')));
    // the sibling (backup_meta.json but no tree) is still there, listed as incomplete
    assert.match((await run('list', '--all')).out, /^>> Backups:\nweekly_levels\n>> Incomplete .*\nnightly_full_2  \[incomplete: .*\]$/);
    const again = await run('delete', '-n', 'nightly_full');
    assert.equal(again.code, 1);
    assert.match(again.err, /not found/);
  });
});

describe('CLI list/get with the local storage provider', () => {
  test('backups under a local rootPath directory', async () => {
    const root = await mkdtemp(join(tmpdir(), 'cli-local-'));
    try {
      await cp(FIXTURE_ROOT, join(root, 'backups'), { recursive: true });
      await writeFile(join(root, 'backup.yaml'), `minio:\n  backupStorageType: local\n  backupRootPath: ${join(root, 'backups')}\n`);
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(['--config', join(root, 'backup.yaml'), 'list', '--all'], { out: (s) => out.push(s), err: (s) => err.push(s), env: {} });
      assert.equal(code, 0, err.join('\n'));
      assert.match(out.join('\n'), /^>> Backups:\nnightly_full\nweekly_levels\n>> Incomplete .*\ncrashed_run {2}\[incomplete: .*\]$/);
      const got: string[] = [];
      assert.equal(await runCli(['--config', join(root, 'backup.yaml'), 'get', '-n', 'weekly_levels'], { out: (s) => got.push(s), err: (s) => err.push(s), env: {} }), 0, err.join('\n'));
      assert.ok(got.join('\n').includes('"collection_id": 449900000000000001'));
      const del: string[] = [];
      assert.equal(await runCli(['--config', join(root, 'backup.yaml'), 'delete', '-n', 'crashed_run'], { out: (s) => del.push(s), err: (s) => err.push(s), env: {} }), 0, err.join('\n'));
      assert.equal(del.join('\n'), `deleted incomplete backup "crashed_run": 1 object, 7 B from directory "${join(root, 'backups', 'crashed_run')}/"`);
      const gone: string[] = [];
      assert.equal(await runCli(['--config', join(root, 'backup.yaml'), 'get', '-n', 'crashed_run'], { out: (s) => gone.push(s), err: (s) => gone.push(s), env: {} }), 1);
      assert.equal(gone.join('\n'), `Error: backup "crashed_run" not found: nothing in directory "${join(root, 'backups', 'crashed_run')}/"`);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
