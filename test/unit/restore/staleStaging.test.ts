/**
 * `milvus-backup staging [--remove] [--older-than H]`: the `restore-temp-*` prefixes failed restores left in the
 * Milvus bucket are listed with their size; only those older than the threshold are removed (a fresh one may be a
 * restore still running), and nothing outside them is touched. Embedded S3 server, through the CLI.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../src/cli/program';
import { MinioStore } from '../../../src/core/storage/minioStore';
import { startS3Server, type S3ServerHandle } from '../../servers/s3';

describe('staging leftovers (CLI)', () => {
  let s3: S3ServerHandle;
  let dir: string;
  let store: MinioStore;
  let env: NodeJS.ProcessEnv;
  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['--config', join(dir, 'backup.yaml'), ...argv], { out: (s) => out.push(s), err: (s) => err.push(s), env, isTTY: false });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const keys = async () => {
    const k: string[] = [];
    for await (const e of store.list('milvus-bucket', '', { recursive: true })) if (e.type === 'object') k.push(e.key);
    return k.sort();
  };

  before(async () => {
    s3 = await startS3Server({ buckets: ['milvus-bucket', 'backup-bucket'] });
    dir = await mkdtemp(join(tmpdir(), 'staging-cli-'));
    await writeFile(join(dir, 'backup.yaml'), [
      'minio:', '  storageType: minio', `  address: ${s3.host}`, `  port: ${s3.port}`, '  useSSL: false',
      '  bucketName: milvus-bucket', '  rootPath: files', '  backupBucketName: backup-bucket', '  backupRootPath: backup', '',
    ].join('\n'));
    env = { MINIO_ACCESS_KEY: s3.accessKey, MINIO_SECRET_KEY: s3.secretKey };
    store = new MinioStore({ provider: 'minio', endPoint: s3.host, port: s3.port, useSSL: false, accessKey: s3.accessKey, secretKey: s3.secretKey, region: 'us-east-1' });
    const put = (k: string, n: number) => store.put('milvus-bucket', k, Buffer.alloc(n), n);
    await put('restore-temp-aaa-default-coll/binlogs/insert_log/1/2/3/3/100/1', 1000);
    await put('restore-temp-aaa-default-coll/binlogs/insert_log/1/2/3/3/101/2', 24);
    await put('restore-temp-bbb-db1-other/binlogs/delta_log/5/6/7/7/1', 10);
    await put('files/insert_log/1/2/3/100/1', 5); // Milvus's own data
    await put('restore-temporary/not-staging', 5);
  });
  after(async () => {
    await store?.close();
    await s3?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('lists each prefix with its objects and size; --remove keeps fresh ones; --older-than 0 removes them and nothing else', async () => {
    const l = await run('staging');
    assert.equal(l.code, 0, l.err);
    assert.match(l.out, /^milvus-bucket\/restore-temp-aaa-default-coll\/ {2}2 object\(s\), 1\.0 KiB, newest \d{4}-/m);
    assert.match(l.out, /^milvus-bucket\/restore-temp-bbb-db1-other\/ {2}1 object\(s\), 10 B/m);
    const j = JSON.parse((await run('staging', '--json')).out);
    assert.deepEqual(j.map((p: { prefix: string; objects: number; bytes: number }) => [p.prefix, p.objects, p.bytes]), [
      ['restore-temp-aaa-default-coll/', 2, 1024], ['restore-temp-bbb-db1-other/', 1, 10],
    ]);
    const before = await keys();
    const kept = await run('staging', '--remove');
    assert.equal(kept.code, 0);
    assert.match(kept.out, /kept milvus-bucket\/restore-temp-aaa-default-coll\/: written to in the last 24 h/);
    assert.deepEqual(await keys(), before);
    const gone = await run('staging', '--remove', '--older-than', '0');
    assert.equal(gone.code, 0, gone.err);
    assert.match(gone.out, /removed milvus-bucket\/restore-temp-aaa-default-coll\/ \(2 object\(s\)/);
    assert.deepEqual(await keys(), ['files/insert_log/1/2/3/100/1', 'restore-temporary/not-staging']);
    assert.match((await run('staging')).out, /no staging prefixes in bucket milvus-bucket/);
    assert.equal((await run('staging', '--remove', '--older-than', 'soon')).code, 2);
  });
});
