/**
 * Two `create` with one name at once, and the clean-up of a failed run: the name claim (backup/nameClaim.ts)
 * lets exactly one run write, on the local store and on the embedded S3 server (If-None-Match honoured), and
 * at most one on a store that ignores the condition; a failed run removes only what it wrote, retrying.
 * Against the fake gateway (the backups' content is checked through the catalog).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackup } from '../../../src/core/backup/create';
import { cleanupTextOf } from '../../../src/core/backup/cleanup';
import { readBackupDir } from '../../../src/core/catalog/backupMeta';
import { loadConfigOrThrow, type ResolvedConfig } from '../../../src/core/config';
import { LocalStore } from '../../../src/core/storage';
import { MinioStore } from '../../../src/core/storage/minioStore';
import type { ListOptions, ObjectStore, PutOptions } from '../../../src/core/storage/objectStore';
import type { Readable } from 'node:stream';
import { startS3Server, type S3ServerHandle } from '../../servers/s3';
import { FakeMilvus, type FakeCollection } from './fakeMilvus';

const FAST_CLEANUP = { attempts: 4, initialDelayMs: 5, maxDelayMs: 20 };

function config(): ResolvedConfig {
  const { config: c } = loadConfigOrThrow({
    text: [
      'configVersion: v2',
      'milvus:', '  storage:', '    type: minio', '    bucketName: milvus-a', '    rootPath: files',
      'backup:', '  storage:', '    bucketName: backup-b', '    rootPath: backup',
      '',
    ].join('\n'),
    file: 'backup.yaml',
    env: {},
  });
  c.backup.pauseGC = false;
  c.backup.concurrency.collections = 1;
  return c;
}

function collections(): FakeCollection[] {
  const seg = (id: bigint, part: bigint, base: bigint) => ({
    id, partitionId: part, level: 'L1' as const, rows: 10,
    insert: { '0': [[base, 40]], '1': [[base + 1n, 40]], '100': [[base + 2n, 800]], '101': [[base + 3n, 160]] } as Record<string, Array<[bigint, number]>>,
    delta: [] as Array<[bigint, number]>,
  });
  return [
    { db: 'default', name: 'coll', id: 1001n, partitions: [{ id: 1002n, name: '_default' }], segments: [seg(1010n, 1002n, 1n), seg(1011n, 1002n, 11n)] },
    { db: 'db1', name: 'other', id: 2001n, partitions: [{ id: 2002n, name: '_default' }], segments: [seg(2010n, 2002n, 21n)] },
  ];
}

/** A store seen through a proxy: `over` replaces some methods (the rest pass through). */
function wrap(store: ObjectStore, over: Partial<ObjectStore>): ObjectStore {
  return new Proxy(store, {
    get(t, prop, r) {
      if (prop in over) return (over as Record<string | symbol, unknown>)[prop];
      const v = Reflect.get(t, prop, r);
      return typeof v === 'function' ? v.bind(t) : v;
    },
  });
}

/** Holds each run's pre-flight listing of the folder until `n` runs are there: all pass the existence check. */
function barrier(store: ObjectStore, n: number): ObjectStore {
  let waiting = 0;
  let release!: () => void;
  const all = new Promise<void>((r) => { release = r; });
  return wrap(store, {
    list(bucket: string, prefix: string, o: ListOptions) {
      const inner = store.list(bucket, prefix, o);
      if (o.recursive || !/^backup\/[^/]+\/$/.test(prefix)) return inner;
      return (async function* () {
        if (++waiting >= n) release();
        await all;
        yield* inner;
      })();
    },
  });
}

async function keysUnder(store: ObjectStore, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of store.list('backup-b', prefix, { recursive: true })) if (e.type === 'object') out.push(e.key);
  return out;
}

const fixtures: Array<{ kind: string; open(): Promise<{ store: ObjectStore; stop(): Promise<void> }> }> = [
  {
    kind: 'local store',
    async open() {
      const dir = await mkdtemp(join(tmpdir(), 'name-claim-'));
      const store = new LocalStore({ root: dir, buckets: 'directory' });
      return { store, stop: () => rm(dir, { recursive: true, force: true }) };
    },
  },
  {
    kind: 'embedded S3 server',
    async open() {
      const s3: S3ServerHandle = await startS3Server({ buckets: ['milvus-a', 'backup-b'] });
      const store = new MinioStore({ provider: 'minio', endPoint: s3.host, port: s3.port, useSSL: false, accessKey: s3.accessKey, secretKey: s3.secretKey, region: 'us-east-1' });
      return { store, stop: async () => { await store.close(); await s3.stop(); } };
    },
  },
];

for (const fx of fixtures) {
  describe(`two creates with one name (${fx.kind})`, () => {
    let store: ObjectStore;
    let stop: () => Promise<void>;
    before(async () => {
      ({ store, stop } = await fx.open());
      await store.createBucket('milvus-a');
      await store.createBucket('backup-b');
      await new FakeMilvus('v2.5.14', store, 'milvus-a', 'files', ['default', 'db1'], collections()).materialize();
    });
    after(() => stop());

    test('both pass the existence check at once: exactly one wins, the other fails before writing; the winner is whole', async () => {
      for (let round = 0; round < 5; round++) {
        const name = `same_${round}`;
        const backup = barrier(store, 2);
        const run = (filter: string) =>
          createBackup({
            config: config(), name, filter, strategy: 'skip_flush', stores: { milvus: store, backup },
            gateway: new FakeMilvus('v2.5.14', store, 'milvus-a', 'files', ['default', 'db1'], collections()),
            timing: { cleanup: FAST_CLEANUP },
          });
        const results = await Promise.allSettled([run('coll'), run('db1.other')]);
        const won = results.filter((r) => r.status === 'fulfilled');
        assert.equal(won.length, 1, `round ${round}: ${results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok')).join(' | ')}`);
        const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
        assert.equal((lost.reason as { code?: string }).code, 'backup-exists');
        assert.match(String(lost.reason), /being created by another run \(task [0-9a-f-]+\).*milvus-backup delete -n same_/);
        // the folder holds the winner's collection and nothing of the loser's
        const winner = (won[0] as PromiseFulfilledResult<{ collections: Array<{ collection: string; collectionId: string }> }>).value;
        const st = await readBackupDir(store, 'backup-b', `backup/${name}/`, { detail: 'full' });
        assert.equal(st.state, 'complete');
        if (st.state !== 'complete') return;
        assert.deepEqual(st.info.collectionBackups.map((c) => c.collectionName), winner.collections.map((c) => c.collection));
        const ids = new Set((await keysUnder(store, `backup/${name}/binlogs/`)).map((k) => k.split('/')[4]));
        assert.deepEqual([...ids], winner.collections.map((c) => c.collectionId));
      }
    });
  });
}

describe('name claim on a store that ignores If-None-Match (fallback: one claim per run + listing)', () => {
  let dir: string;
  let local: LocalStore;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'name-claim-nc-'));
    local = new LocalStore({ root: dir, buckets: 'directory' });
    await local.createBucket('milvus-a');
    await local.createBucket('backup-b');
    await new FakeMilvus('v2.5.14', local, 'milvus-a', 'files', ['default', 'db1'], collections()).materialize();
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const ignoring = () =>
    wrap(local, {
      put: (bucket: string, key: string, body: Readable | Buffer, size: number, o: PutOptions = {}) =>
        local.put(bucket, key, body, size, { ...o, ifAbsent: false }),
    });

  test('a lone run still succeeds', async () => {
    const s = await createBackup({
      config: config(), name: 'alone', filter: 'coll', strategy: 'skip_flush', stores: { milvus: local, backup: ignoring() },
      gateway: new FakeMilvus('v2.5.14', local, 'milvus-a', 'files', ['default', 'db1'], collections()),
    });
    assert.equal(s.collections.length, 1);
    assert.ok((await keysUnder(local, 'backup/alone/extra/claims/')).length === 1, 'its per-run claim stays in the backup');
  });

  test('two at once: never both (at most one wins), and a loser leaves nothing of its own', async () => {
    for (let round = 0; round < 5; round++) {
      const name = `nc_${round}`;
      const backup = barrier(ignoring(), 2);
      const run = (filter: string) =>
        createBackup({
          config: config(), name, filter, strategy: 'skip_flush', stores: { milvus: local, backup },
          gateway: new FakeMilvus('v2.5.14', local, 'milvus-a', 'files', ['default', 'db1'], collections()),
          timing: { cleanup: FAST_CLEANUP },
        });
      const results = await Promise.allSettled([run('coll'), run('db1.other')]);
      const won = results.filter((r) => r.status === 'fulfilled');
      assert.ok(won.length <= 1, `round ${round}: both won`);
      for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as { code?: string }).code, 'backup-exists', String(r.reason));
      if (won.length === 0) assert.deepEqual(await keysUnder(local, `backup/${name}/`), [], 'both gave up: nothing left');
    }
  });
});

describe('clean-up of a failed create', () => {
  let dir: string;
  let local: LocalStore;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'name-claim-cu-'));
    local = new LocalStore({ root: dir, buckets: 'directory' });
    await local.createBucket('milvus-a');
    await local.createBucket('backup-b');
    await new FakeMilvus('v2.5.14', local, 'milvus-a', 'files', ['default', 'db1'], collections()).materialize();
  });
  after(() => rm(dir, { recursive: true, force: true }));

  /** A run whose second collection fails after the first was copied; `during` runs just before the failure. */
  function failingRun(name: string, backup: ObjectStore, during: () => Promise<void> = async () => {}) {
    const gw = new FakeMilvus('v2.5.14', local, 'milvus-a', 'files', ['default', 'db1'], collections());
    gw.onSegments = async (db) => {
      if (db === 'db1') {
        await during();
        throw new Error('boom: datacoord unavailable');
      }
    };
    const warnings: string[] = [];
    const p = createBackup({
      config: config(), name, strategy: 'skip_flush', stores: { milvus: local, backup }, gateway: gw,
      timing: { cleanup: FAST_CLEANUP }, onProgress: (e) => { if (e.kind === 'warning') warnings.push(e.message); },
    });
    return { p, warnings };
  }

  test('removes only what its own run wrote: an object another writer put into the folder stays, and the message says so', async () => {
    const foreign = 'backup/shared/binlogs/insert_log/9999/1/1/1/100/1';
    const { p } = failingRun('shared', local, async () => {
      await local.put('backup-b', foreign, Buffer.from('not ours'), 8);
    });
    const e = await p.then(() => assert.fail('must fail'), (x: unknown) => x);
    assert.match(String(e), /boom/);
    assert.deepEqual(await keysUnder(local, 'backup/shared/'), [foreign]);
    assert.match(cleanupTextOf(e) ?? '', /^the \d+ object\(s\) this run wrote under backup-b\/backup\/shared\/ were removed; 1 object\(s\) under it written by another run were left alone$/);
  });

  test('retries a clean-up the store refuses at first (an outage), and then tells that everything was removed', async () => {
    let refusals = 2;
    const flaky = wrap(local, {
      deleteObjects: async (bucket: string, keys: readonly string[]) => {
        if (refusals-- > 0) throw new Error('connect ECONNREFUSED 127.0.0.1:9');
        await local.deleteObjects(bucket, keys);
      },
    });
    const { p, warnings } = failingRun('flaky', flaky);
    const e = await p.then(() => assert.fail('must fail'), (x: unknown) => x);
    assert.deepEqual(await keysUnder(local, 'backup/flaky/'), []);
    assert.match(cleanupTextOf(e) ?? '', /were removed$/);
    assert.deepEqual(warnings, []);
  });

  test('a clean-up that cannot finish says what is left and how to remove it, and keeps the claim', async () => {
    const stuck = wrap(local, { deleteObjects: async () => { throw new Error('AccessDenied'); } });
    const { p, warnings } = failingRun('stuck2', stuck);
    const e = await p.then(() => assert.fail('must fail'), (x: unknown) => x);
    const left = await keysUnder(local, 'backup/stuck2/');
    assert.ok(left.includes('backup/stuck2/extra/claim.json'), 'the claim stays while leftovers do');
    const text = cleanupTextOf(e) ?? '';
    assert.match(text, new RegExp(`^${left.length - 1} object\\(s\\) this run wrote are still under backup-b/backup/stuck2/ after 4 attempt\\(s\\) \\(AccessDenied\\).*milvus-backup delete -n stuck2`));
    assert.ok(warnings.some((w) => w.includes(text)), warnings.join('\n'));
  });
});
