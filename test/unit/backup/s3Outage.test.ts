/**
 * The S3 server killed mid-backup (every open connection cut) and restarted on the same port and data: at random
 * moments of the copy, each run either completes — and then `verify --deep` proves it whole — or fails with one
 * clear message; never a backup that lists as complete and is not; the Milvus bucket never changes. An outage
 * longer than the retries fails cleanly, says what is left and how to remove it, and after that step a re-run
 * with the same name succeeds. Embedded S3 server, fake gateway.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createBackup } from '../../../src/core/backup/create';
import { cleanupTextOf } from '../../../src/core/backup/cleanup';
import { deleteBackup, listBackups } from '../../../src/core/catalog';
import { loadConfigOrThrow, type ResolvedConfig } from '../../../src/core/config';
import { MinioStore } from '../../../src/core/storage/minioStore';
import { verifyBackupReport } from '../../../src/core/verify/verifyDeep';
import { fastTmpRoot, startS3Server, type EmbeddedS3Handle } from '../../servers/s3';
import { FakeMilvus, type FakeCollection } from './fakeMilvus';

const OBJECTS = 240;

function collections(): FakeCollection[] {
  const insert: Record<string, Array<[bigint, number]>> = {};
  for (let f = 0; f < 4; f++) insert[String(100 + f)] = Array.from({ length: OBJECTS / 4 }, (_, i) => [BigInt(f * 1000 + i + 1), 2048] as [bigint, number]);
  return [{ db: 'default', name: 'coll', id: 1001n, partitions: [{ id: 1002n, name: '_default' }], segments: [{ id: 1010n, partitionId: 1002n, level: 'L1', rows: 100, insert, delta: [] }] }];
}

function config(): ResolvedConfig {
  const { config: c } = loadConfigOrThrow({
    text: 'configVersion: v2\nmilvus:\n  storage:\n    type: minio\n    bucketName: milvus-a\n    rootPath: files\nbackup:\n  storage:\n    bucketName: backup-b\n    rootPath: backup\n',
    file: 'backup.yaml',
    env: {},
  });
  c.backup.pauseGC = false;
  c.transfer.concurrency = 4;
  return c;
}

describe('S3 server killed and restarted during a backup', () => {
  let dir: string;
  let port: number;
  let s3: EmbeddedS3Handle;
  let store: MinioStore;
  const loc = () => ({ store, bucket: 'backup-b', rootPath: 'backup' });
  const snapshot = async (bucket: string) => {
    const m = new Map<string, string>();
    for await (const e of store.list(bucket, '', { recursive: true })) if (e.type === 'object') m.set(e.key, `${e.size}/${e.etag}`);
    return m;
  };

  before(async () => {
    dir = await mkdtemp(join(fastTmpRoot(), 's3-outage-'));
    s3 = await startS3Server({ buckets: ['milvus-a', 'backup-b'], dir });
    port = s3.port;
    store = new MinioStore({ provider: 'minio', endPoint: s3.host, port, useSSL: false, accessKey: s3.accessKey, secretKey: s3.secretKey, region: 'us-east-1' });
    await new FakeMilvus('v2.5.14', store, 'milvus-a', 'files', ['default'], collections()).materialize();
  });
  after(async () => {
    await store?.close();
    await s3?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** A backup during which the server is killed after `killAfter` copied objects, and started again after `downMs`. */
  async function runWithOutage(name: string, killAfter: number, downMs: number, using = store) {
    let killed: Promise<void> | undefined;
    const p = createBackup({
      config: config(), name, strategy: 'skip_flush', stores: { milvus: using, backup: using },
      gateway: new FakeMilvus('v2.5.14', store, 'milvus-a', 'files', ['default'], collections()),
      timing: { cleanup: { attempts: 3, initialDelayMs: 50, maxDelayMs: 100 } },
      onProgress: (e) => {
        if (!killed && e.kind === 'bytes' && e.doneObjects >= killAfter) {
          killed = (async () => {
            await s3.kill();
            await new Promise((r) => setTimeout(r, downMs));
            s3 = await startS3Server({ buckets: ['milvus-a', 'backup-b'], dir, port });
          })();
        }
      },
    });
    const result = await p.then((v) => ({ ok: true as const, v }), (e: unknown) => ({ ok: false as const, e }));
    await killed;
    return { result, killedDuringRun: killed !== undefined };
  }

  test('5 outages of ~1 s at random moments of the copy: each run completes after retries, proven by verify --deep; the source never changes', async () => {
    const source = await snapshot('milvus-a');
    for (let round = 0; round < 5; round++) {
      const name = `outage_${round}`;
      const { result, killedDuringRun } = await runWithOutage(name, 1 + Math.floor(Math.random() * (OBJECTS - 40)), 1000);
      assert.ok(killedDuringRun, 'the server was killed while the backup ran');
      assert.ok(result.ok, `round ${round}: ${result.ok ? '' : String(result.e)}`);
      const entry = (await listBackups(loc())).find((b) => b.name === name);
      assert.equal(entry?.state, 'complete');
      const v = await verifyBackupReport(loc(), name, { deep: true });
      assert.equal(v.ok, true, JSON.stringify(v.collections));
      assert.equal(v.deep?.checked, OBJECTS);
    }
    assert.deepEqual(await snapshot('milvus-a'), source);
  });

  test('an outage longer than the retries: one clear failure naming what is left; after `delete`, the same name succeeds', async () => {
    const name = 'long_outage';
    // a store giving up after ~0.3 s (default: 10 attempts over ~18 s), so the outage outlasts every retry
    const impatient = new MinioStore({ provider: 'minio', endPoint: s3.host, port, useSSL: false, accessKey: s3.accessKey, secretKey: s3.secretKey, region: 'us-east-1', retry: { attempts: 3, initialDelayMs: 100, maxDelayMs: 200 } });
    const { result } = await runWithOutage(name, 30, 4000, impatient).finally(() => impatient.close());
    assert.equal(result.ok, false);
    if (result.ok) return;
    const msg = String((result.e as Error).message);
    assert.doesNotMatch(msg, /\n/, 'one line');
    assert.match(msg, /ECONNREFUSED|socket hang up|ECONNRESET/);
    const text = cleanupTextOf(result.e) ?? '';
    // the clean-up ran while the server was still down: it says so, and how to remove the rest
    assert.match(text, /^the storage could not be reached to remove what this run wrote under backup-b\/backup\/long_outage\/ \(3 attempt\(s\) .*\): up to \d+ object\(s\) may be left; .*remove it with `milvus-backup delete -n long_outage`$/);
    const entry = (await listBackups(loc())).find((b) => b.name === name);
    assert.notEqual(entry?.state, 'complete', 'never listed as a backup');
    await deleteBackup(loc(), name);
    const again = await createBackup({
      config: config(), name, strategy: 'skip_flush', stores: { milvus: store, backup: store },
      gateway: new FakeMilvus('v2.5.14', store, 'milvus-a', 'files', ['default'], collections()),
    });
    assert.equal(again.objects, OBJECTS);
    assert.equal((await verifyBackupReport(loc(), name, { deep: true })).ok, true);
  });
});
