/**
 * `milvus-backup verify -n NAME [--deep] [--json]` against backups our `create` made on the embedded S3 server
 * (fake gateway): a whole backup passes, and each kind of damage — a missing object, a truncated one, one with
 * the same size but other bytes (only --deep sees it) — exits 1 naming the object. A backup without a checksums
 * file (as the Go tool writes them) says "no checksums recorded".
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../src/cli/program';
import { createBackup } from '../../../src/core/backup/create';
import { readObject } from '../../../src/core/catalog';
import { loadConfigOrThrow } from '../../../src/core/config';
import { MinioStore } from '../../../src/core/storage/minioStore';
import { readChecksums } from '../../../src/core/verify/checksums';
import { startS3Server, type S3ServerHandle } from '../../servers/s3';
import { FakeMilvus, type FakeCollection } from '../backup/fakeMilvus';

const colls = (): FakeCollection[] => [{
  db: 'default', name: 'coll', id: 1001n, partitions: [{ id: 1002n, name: '_default' }],
  segments: [
    { id: 1010n, partitionId: 1002n, level: 'L1', rows: 10, insert: { '0': [[1n, 40]], '1': [[2n, 40]], '100': [[3n, 800]], '101': [[4n, 1600]] }, delta: [[5n, 30]] },
    { id: 1011n, partitionId: 1002n, level: 'L1', rows: 5, insert: { '0': [[6n, 20]], '1': [[7n, 20]], '100': [[8n, 400]], '101': [[9n, 800]] }, delta: [] },
  ],
}];

describe('verify (CLI) on the embedded S3 server', () => {
  let s3: S3ServerHandle;
  let dir: string;
  let store: MinioStore;
  let env: NodeJS.ProcessEnv;

  async function run(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['--config', join(dir, 'backup.yaml'), ...argv], { out: (s) => out.push(s), err: (s) => err.push(s), env, isTTY: false });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  async function backup(name: string): Promise<string[]> {
    const yaml = [
      'configVersion: v2', 'milvus:', '  storage:', '    type: minio', '    bucketName: milvus-bucket', '    rootPath: files',
      'backup:', '  storage:', '    bucketName: backup-bucket', '    rootPath: backup', '',
    ].join('\n');
    const { config } = loadConfigOrThrow({ text: yaml, file: 'backup.yaml', env: {} });
    config.backup.pauseGC = false;
    const gw = new FakeMilvus('v2.5.14', store, 'milvus-bucket', 'files', ['default'], colls());
    await createBackup({ config, name, strategy: 'skip_flush', gateway: gw, stores: { milvus: store, backup: store } });
    const keys: string[] = [];
    for await (const e of store.list('backup-bucket', `backup/${name}/binlogs/`, { recursive: true })) if (e.type === 'object') keys.push(e.key);
    return keys;
  }

  before(async () => {
    s3 = await startS3Server({ buckets: ['backup-bucket', 'milvus-bucket'] });
    dir = await mkdtemp(join(tmpdir(), 'verify-cli-'));
    await writeFile(join(dir, 'backup.yaml'), [
      'minio:', '  storageType: minio', `  address: ${s3.host}`, `  port: ${s3.port}`, '  useSSL: false',
      '  bucketName: milvus-bucket', '  rootPath: files', '  backupBucketName: backup-bucket', '  backupRootPath: backup', '',
    ].join('\n'));
    env = { MINIO_ACCESS_KEY: s3.accessKey, MINIO_SECRET_KEY: s3.secretKey };
    store = new MinioStore({ provider: 'minio', endPoint: s3.host, port: s3.port, useSSL: false, accessKey: s3.accessKey, secretKey: s3.secretKey, region: 'us-east-1' });
    await new FakeMilvus('v2.5.14', store, 'milvus-bucket', 'files', ['default'], colls()).materialize();
  });
  after(async () => {
    await store?.close();
    await s3?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('create records a checksum per binlog (extra/checksums.json); a whole backup verifies, shallow and --deep', async () => {
    const keys = await backup('whole');
    const sums = await readChecksums({ store, bucket: 'backup-bucket' }, 'backup/whole/');
    assert.deepEqual(Object.keys(sums!.objects).sort(), keys.map((k) => k.slice('backup/whole/'.length)).sort());
    const shallow = await run('verify', '-n', 'whole');
    assert.equal(shallow.code, 0, shallow.err);
    assert.match(shallow.out, /default\.coll: 9\/9 object\(s\) present, sizes match/);
    assert.match(shallow.out, /backup whole: OK$/);
    const deep = await run('verify', '-n', 'whole', '--deep', '--json');
    assert.equal(deep.code, 0, deep.err);
    const r = JSON.parse(deep.out);
    assert.equal(r.ok, true);
    assert.deepEqual([r.deep.checksums, r.deep.checked, r.deep.bytesRead, r.deep.mismatched], ['recorded', 9, 3750, []]);
  });

  test('same size, other bytes: the shallow check cannot see it, --deep exits 1 naming the object', async () => {
    const keys = await backup('bitrot');
    const victim = keys[3]!;
    const body = await readObject(store, 'backup-bucket', victim);
    body[0] = body[0]! ^ 0xff;
    await store.put('backup-bucket', victim, body, body.length);
    assert.equal((await run('verify', '-n', 'bitrot')).code, 0, 'sizes still match');
    const deep = await run('verify', '-n', 'bitrot', '--deep');
    assert.equal(deep.code, 1);
    assert.match(deep.out, new RegExp(`mismatch: ${victim.replace(/[/.]/g, '\\$&')}: content MD5 [0-9a-f]{32}, recorded [0-9a-f]{32}`));
    assert.match(deep.out, /backup bitrot: FAILED verification$/);
    assert.equal(deep.err, 'Error: backup bitrot failed verification (see the report above)');
  });

  test('a missing and a truncated object: exit 1, each named', async () => {
    const keys = await backup('damaged');
    await store.deleteObjects('backup-bucket', [keys[0]!]);
    const body = await readObject(store, 'backup-bucket', keys[1]!);
    await store.put('backup-bucket', keys[1]!, body.subarray(1), body.length - 1);
    const r = await run('verify', '-n', 'damaged');
    assert.equal(r.code, 1);
    assert.match(r.out, /1 missing, 1 with the wrong size/);
    assert.ok(r.out.includes(`missing: ${keys[0]}`), r.out);
    assert.ok(r.out.includes(`wrong size: ${keys[1]} (`), r.out);
  });

  test('a backup without checksums (as the Go tool makes them): --deep says "no checksums recorded" and checks sizes', async () => {
    await backup('gomade');
    await store.deleteObjects('backup-bucket', ['backup/gomade/extra/checksums.json']);
    const r = await run('verify', '-n', 'gomade', '--deep');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /deep: no checksums recorded for this backup \(sizes checked only\)/);
  });

  test('usage: no name is a usage error; an unknown backup one Error line', async () => {
    assert.equal((await run('verify')).code, 2);
    const r = await run('verify', '-n', 'nope');
    assert.equal(r.code, 1);
    assert.match(r.err, /^Error: backup "nope" not found/);
  });
});
