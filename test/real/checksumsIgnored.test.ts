/**
 * The proof that the Go tool ignores what this tool adds inside a backup folder (`extra/claim.json`,
 * `extra/checksums.json`): a backup our `create` made from a real Milvus (2.3.5, PyPI `milvus`) on our S3
 * server is listed, read (`get`), restored and deleted by the real Go milvus-backup v0.5.16 exactly as a copy
 * of it without `extra/` is — and `delete` removes `extra/` with the folder. (Real tier: needs the peers of
 * test/servers/realMilvus.ts and goBackup.ts, installed on first use.)
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, MilvusClient } from '@zilliz/milvus2-sdk-node';
import { runCli } from '../../src/cli/program';
import { createObjectStore, type ObjectStore } from '../../src/core/storage';
import { testServerYaml } from '../servers/backupYaml';
import { runGoBackup } from '../servers/goBackup';
import { startRealMilvus, type RealMilvusHandle } from '../servers/realMilvus';
import { startS3Server, type S3ServerHandle } from '../servers/s3';

const ROWS = 300;

describe('the Go tool on a backup with our extra/ files (real Milvus 2.3.5, Go milvus-backup v0.5.16)', () => {
  let s3: S3ServerHandle;
  let milvus: RealMilvusHandle;
  let client: MilvusClient;
  let store: ObjectStore;
  let dir: string;
  let config: string;
  const env = () => ({ MINIO_ACCESS_KEY: s3.accessKey, MINIO_SECRET_KEY: s3.secretKey });
  const go = (...args: string[]) => runGoBackup(args, { config, timeoutMs: 5 * 60_000 });
  const keys = async (prefix: string) => {
    const k: string[] = [];
    for await (const e of store.list('backup-bucket', prefix, { recursive: true })) if (e.type === 'object') k.push(e.key);
    return k.sort();
  };
  const rows = async (name: string) => {
    await client.flushSync({ collection_names: [name] } as never);
    const st = await client.getCollectionStatistics({ collection_name: name });
    return Number((st as { data?: { row_count?: string } }).data?.row_count ?? -1);
  };

  before(async () => {
    s3 = await startS3Server({ buckets: ['milvus-bucket', 'backup-bucket'] });
    milvus = await startRealMilvus({ s3: { endpoint: s3.endpoint, accessKey: s3.accessKey, secretKey: s3.secretKey }, bucket: 'milvus-bucket', name: 'checksums-ignored' });
    client = new MilvusClient({ address: milvus.address, logLevel: 'error' });
    dir = await mkdtemp(join(tmpdir(), 'real-extra-'));
    config = join(dir, 'backup.yaml');
    // the Go tool reads the keys from the file; S3RVER/S3RVER are the test server's fixed, public credentials
    await writeFile(config, testServerYaml({
      milvusAddress: milvus.address, s3Endpoint: s3.endpoint, milvusBucket: 'milvus-bucket', backupBucket: 'backup-bucket',
      credentials: { accessKey: s3.accessKey, secretKey: s3.secretKey }, gcPause: { enable: false, address: milvus.managementUrl },
    }));
    store = createObjectStore({
      provider: 'minio', address: s3.host, port: s3.port, region: '', useSSL: false, accountName: '', bucketName: 'backup-bucket', rootPath: '', localPath: '',
      auth: { type: 'static', accessKeyID: s3.accessKey, secretAccessKey: s3.secretKey, sessionToken: '', accountKey: '', credentialsFile: '', endpoint: '' },
    });
    const r = await client.createCollection({
      collection_name: 'coll',
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true, autoID: false },
        { name: 'vec', data_type: DataType.FloatVector, dim: 4 },
      ],
    } as never);
    assert.equal(r.error_code, 'Success', r.reason);
    const data = Array.from({ length: ROWS }, (_, i) => ({ id: i, vec: [i, i + 1, i + 2, i + 3] }));
    assert.equal((await client.insert({ collection_name: 'coll', data } as never)).status.error_code, 'Success');
    assert.equal(await rows('coll'), ROWS);
    // our backup, and a copy of it without extra/ as the control
    for (const name of ['ours', 'control']) {
      const out: string[] = [];
      const code = await runCli(['--config', config, 'create', '-n', name, '--filter', 'coll'], { out: (s) => out.push(s), err: (s) => out.push(s), env: env(), isTTY: false });
      assert.equal(code, 0, out.join('\n'));
    }
    const extra = await keys('backup/control/extra/');
    assert.equal(extra.length, 2);
    await store.deleteObjects('backup-bucket', extra);
    assert.deepEqual((await keys('backup/ours/extra/')).map((k) => k.split('/').pop()), ['checksums.json', 'claim.json']);
  }, { timeout: 15 * 60_000 });

  after(async () => {
    await client?.closeConnection().catch(() => undefined);
    await store?.close();
    await milvus?.stop();
    await s3?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('list and get: our backup reads as the control does', { timeout: 10 * 60_000 }, async () => {
    const l = await go('list');
    assert.equal(l.code, 0, l.stderr + l.stdout);
    for (const name of ['ours', 'control']) assert.match(l.stdout, new RegExp(`\\b${name}\\b`), l.stdout);
    const [g1, g2] = [await go('get', '-n', 'ours'), await go('get', '-n', 'control')];
    assert.equal(g1.code, 0, g1.stderr + g1.stdout);
    assert.equal(g2.code, 0, g2.stderr + g2.stdout);
    assert.match(g1.stdout, /"collection_name":\s*"coll"/);
    const sizeOf = (s: string) => /"size":\s*(\d+)/.exec(s)?.[1];
    assert.equal(sizeOf(g1.stdout), sizeOf(g2.stdout), 'the same recorded size: extra/ is not counted as data');
  });

  test('restore: the Go tool restores our backup with every row, as it restores the control', { timeout: 10 * 60_000 }, async () => {
    const r = await go('restore', '-n', 'ours', '-s', '_go');
    const c = await go('restore', '-n', 'control', '-s', '_goc');
    assert.equal(c.code, r.code, `ours: ${r.stdout.slice(-800)}\ncontrol: ${c.stdout.slice(-800)}`);
    assert.equal(r.code, 0, r.stderr + r.stdout.slice(-2000));
    assert.equal(await rows('coll_go'), ROWS);
    assert.equal(await rows('coll_goc'), ROWS);
  });

  test('delete: the Go tool removes the whole folder, extra/ included', { timeout: 10 * 60_000 }, async () => {
    const d = await go('delete', '-n', 'ours');
    assert.equal(d.code, 0, d.stderr + d.stdout);
    assert.deepEqual(await keys('backup/ours/'), []);
  });
});
