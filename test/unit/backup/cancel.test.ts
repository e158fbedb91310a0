/**
 * 20 cancellations of `create` at random points — while enumerating, reading schemas, copying, verifying,
 * writing checksums or meta: each rejects as cancelled, leaves nothing in the backup folder (the name can be
 * used again at once), never a folder that lists as a backup, and resumes GC exactly as often as it paused it.
 * Fake gateway on the local store; a run that finished before the cancel landed must be whole.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackup } from '../../../src/core/backup/create';
import { listBackups } from '../../../src/core/catalog';
import { loadConfigOrThrow, type ResolvedConfig } from '../../../src/core/config';
import { isAbortError } from '../../../src/core/errors';
import { LocalStore } from '../../../src/core/storage';
import { verifyBackupReport } from '../../../src/core/verify/verifyDeep';
import { FakeMilvus, type FakeCollection } from './fakeMilvus';

function collections(): FakeCollection[] {
  const seg = (id: bigint, part: bigint, base: number) => ({
    id, partitionId: part, level: 'L1' as const, rows: 10,
    insert: Object.fromEntries([100, 101].map((f) => [String(f), Array.from({ length: 30 }, (_, i) => [BigInt(base + f * 100 + i), 512] as [bigint, number])])),
    delta: [[BigInt(base + 99), 64]] as Array<[bigint, number]>,
  });
  return [
    { db: 'default', name: 'a', id: 1001n, partitions: [{ id: 1002n, name: '_default' }], segments: [seg(1010n, 1002n, 10_000), seg(1011n, 1002n, 20_000)] },
    { db: 'default', name: 'b', id: 2001n, partitions: [{ id: 2002n, name: '_default' }], segments: [seg(2010n, 2002n, 30_000)] },
  ];
}

function config(): ResolvedConfig {
  const { config: c } = loadConfigOrThrow({
    text: 'configVersion: v2\nmilvus:\n  storage:\n    type: minio\n    bucketName: milvus-a\n    rootPath: files\nbackup:\n  storage:\n    bucketName: backup-b\n    rootPath: backup\n',
    file: 'backup.yaml',
    env: {},
  });
  c.backup.pauseGC = true;
  c.transfer.concurrency = 3;
  return c;
}

describe('20 cancellations of create at random points', () => {
  let dir: string;
  let store: LocalStore;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cancel-'));
    store = new LocalStore({ root: dir, buckets: 'directory' });
    await store.createBucket('milvus-a');
    await store.createBucket('backup-b');
    await new FakeMilvus('v2.5.4', store, 'milvus-a', 'files', ['default'], collections()).materialize();
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('each: cancelled, nothing left, name reusable, GC resumed', async () => {
    // how many progress events a whole run emits: the cancels land among them
    let total = 0;
    await createBackup({
      config: config(), name: 'count', strategy: 'skip_flush', stores: { milvus: store, backup: store },
      gateway: new FakeMilvus('v2.5.4', store, 'milvus-a', 'files', ['default'], collections()), onProgress: () => { total++; },
    });
    assert.ok(total > 10, `events of a run: ${total}`);
    let cancelled = 0;
    for (let run = 0; run < 20; run++) {
      const name = 'again';
      const ac = new AbortController();
      // cancel after a random number of progress events (phases, collections, bytes): a random point of the run
      const at = 1 + Math.floor(Math.random() * (total - 1));
      let seen = 0;
      const gw = new FakeMilvus('v2.5.4', store, 'milvus-a', 'files', ['default'], collections());
      const r = await createBackup({
        config: config(), name, strategy: 'skip_flush', gateway: gw, stores: { milvus: store, backup: store }, signal: ac.signal,
        timing: { cleanup: { attempts: 3, initialDelayMs: 5, maxDelayMs: 10 } },
        onProgress: () => { if (++seen === at) ac.abort(new Error('interrupted')); },
      }).then(() => 'done' as const, (e: unknown) => e);
      const pauses = gw.gcLog.filter((l) => l.startsWith('pause')).length;
      assert.equal(gw.gcLog.filter((l) => l.startsWith('resume')).length, pauses, `run ${run}: GC resumed (${gw.gcLog.join(', ')})`);
      const left: string[] = [];
      for await (const e of store.list('backup-b', `backup/${name}/`, { recursive: true })) if (e.type === 'object') left.push(e.key);
      if (r === 'done') {
        // the cancel came after the end: a whole backup, removed for the next run
        assert.equal((await verifyBackupReport({ store, bucket: 'backup-b', rootPath: 'backup' }, name, { deep: true })).ok, true);
        await store.deleteObjects('backup-b', left);
        continue;
      }
      cancelled++;
      assert.ok(isAbortError(r), `run ${run} (cancel at event ${at}): ${String(r)}`);
      assert.deepEqual(left, [], `run ${run} (cancel at event ${at}) left objects`);
      assert.deepEqual((await listBackups({ store, bucket: 'backup-b', rootPath: 'backup' })).map((b) => b.name), ['count']);
    }
    assert.ok(cancelled >= 10, `most runs were cancelled mid-way (${cancelled}/20)`);
  });
});
