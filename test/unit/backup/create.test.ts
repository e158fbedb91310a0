import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackup } from '../../../src/core/backup/create';
import { checkSetup } from '../../../src/core/backup/check';
import { loadConfigOrThrow, type ResolvedConfig } from '../../../src/core/config';
import { readBackupDir } from '../../../src/core/catalog/backupMeta';
import { listBackups } from '../../../src/core/catalog';
import type { ObjectStore } from '../../../src/core/storage/objectStore';
import { LocalStore } from '../../../src/core/storage';
import type { ProgressEvent } from '../../../src/core/jobs/progress';
import { FakeMilvus, type FakeCollection } from './fakeMilvus';

/**
 * The engine's orchestration against the fake gateway and a real filesystem store with bucket directories
 * (Milvus bucket `milvus-a`, backup bucket `backup-b`): layout, meta, strategies, clean-up, refusals.
 */

let tmp: string;
let store: LocalStore;

function config(over: (c: ResolvedConfig) => void = () => {}): ResolvedConfig {
  const { config: c } = loadConfigOrThrow({
    text: [
      'configVersion: v2',
      'milvus:',
      '  storage:',
      '    type: minio',
      '    bucketName: milvus-a',
      '    rootPath: files',
      'backup:',
      '  storage:',
      '    bucketName: backup-b',
      '    rootPath: backup',
      '',
    ].join('\n'),
    file: 'backup.yaml',
    env: {},
  });
  c.backup.pauseGC = false;
  over(c);
  return c;
}

function sampleCollections(): FakeCollection[] {
  return [
    {
      db: 'default', name: 'coll', id: 450000000000000001n,
      partitions: [{ id: 450000000000000002n, name: '_default' }],
      segments: [
        { id: 450000000000000010n, partitionId: 450000000000000002n, level: 'L1', rows: 100, insert: { '0': [[1n, 40]], '1': [[2n, 40]], '100': [[3n, 800]], '101': [[4n, 1600]] }, delta: [[5n, 30]] },
        { id: 450000000000000011n, partitionId: 450000000000000002n, level: 'L1', rows: 50, insert: { '0': [[6n, 20]], '1': [[7n, 20]], '100': [[8n, 400]], '101': [[9n, 800]] }, delta: [] },
        // collection-wide L0 (partition −1)
        { id: 450000000000000012n, partitionId: -1n, level: 'L0', rows: 3, insert: {}, delta: [[10n, 60]] },
        // partition-scoped L0
        { id: 450000000000000013n, partitionId: 450000000000000002n, level: 'L0', rows: 2, insert: {}, delta: [[11n, 44]] },
      ],
      indexes: [{ index_name: 'vec_idx', indexID: '450000000000000099', field_name: 'v', params: [{ key: 'index_type', value: 'HNSW' }, { key: 'metric_type', value: 'L2' }] }],
    },
    {
      db: 'db1', name: 'other', id: 450000000000000101n,
      partitions: [{ id: 450000000000000102n, name: '_default' }],
      segments: [{ id: 450000000000000110n, partitionId: 450000000000000102n, level: 'L1', rows: 10, insert: { '100': [[21n, 80]], '101': [[22n, 160]] }, delta: [] }],
    },
  ];
}

async function fake(version = 'v2.5.14', colls = sampleCollections()): Promise<FakeMilvus> {
  const f = new FakeMilvus(version, store, 'milvus-a', 'files', ['default', 'db1'], colls);
  await f.materialize();
  return f;
}

async function listKeys(bucket: string, prefix: string): Promise<Map<string, number>> {
  const m = new Map<string, number>();
  for await (const e of store.list(bucket, prefix, { recursive: true })) if (e.type === 'object') m.set(e.key, e.size);
  return m;
}

describe('createBackup (fake gateway, local bucket directories)', () => {
  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'backup-create-'));
  });
  beforeEach(async () => {
    await rm(join(tmp, 'root'), { recursive: true, force: true });
    store = new LocalStore({ root: join(tmp, 'root'), buckets: 'directory' });
    await store.createBucket('milvus-a');
  });
  after(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  test('layout of §2.1, meta of §2.2–2.4, source untouched (list mode on 2.5.4)', async () => {
    const gw = await fake('v2.5.4');
    const before = await listKeys('milvus-a', '');
    const events: ProgressEvent[] = [];
    const s = await createBackup({ config: config(), name: 'my_backup', filter: 'coll', gateway: gw, stores: { milvus: store, backup: store }, onProgress: (e) => events.push(e), timing: { flush: { pollMs: 1, warnAfterMs: 60_000 } } });
    assert.equal(s.strategy, 'serial_flush');
    assert.deepEqual(gw.calls.filter((c) => c.startsWith('Flush')), ['Flush default.coll']);
    const keys = await listKeys('backup-b', 'backup/my_backup/');
    const c = 450000000000000001n, p = 450000000000000002n, s10 = 450000000000000010n;
    const dir = 'backup/my_backup/binlogs';
    assert.equal(keys.get(`${dir}/insert_log/${c}/${p}/${s10}/${s10}/101/4`), 1600);
    assert.equal(keys.get(`${dir}/delta_log/${c}/${p}/${s10}/${s10}/5`), 30);
    assert.equal(keys.get(`${dir}/delta_log/${c}/-1/450000000000000012/10`), 60, 'collection-wide L0 has no group dir');
    assert.equal(keys.get(`${dir}/delta_log/${c}/${p}/450000000000000013/450000000000000013/11`), 44, 'partition L0 keeps its group');
    const metaFiles = [...keys.keys()].filter((k) => k.includes('/meta/')).map((k) => k.split('/').pop()).sort();
    assert.deepEqual(metaFiles, ['backup_meta.json', 'collection_meta.json', 'full_meta.json', 'partition_meta.json', 'segment_meta.json']);
    // 8 insert + 3 delta objects + 5 meta files + the name claim and the checksums (extra/, which the Go tool ignores)
    assert.equal(keys.size, 8 + 3 + 5 + 2);
    assert.ok(keys.has('backup/my_backup/extra/claim.json'));
    assert.ok(keys.has('backup/my_backup/extra/checksums.json'));
    assert.equal(s.objects, 11);
    assert.deepEqual([s.collections[0]!.rows, s.collections[0]!.segments, s.collections[0]!.l0Segments], ['150', 4, 2], 'L0 deletes are not rows');
    assert.deepEqual(await listKeys('milvus-a', ''), before);

    const st = await readBackupDir(store, 'backup-b', 'backup/my_backup/', { detail: 'full' });
    assert.equal(st.state, 'complete');
    if (st.state !== 'complete') return;
    const info = st.info;
    assert.equal(info.name, 'my_backup');
    assert.equal(info.milvusVersion, 'v2.5.4');
    assert.equal(info.collectionBackups.length, 1);
    const cb = info.collectionBackups[0]!;
    assert.equal(cb.collectionId, c);
    assert.equal(cb.l0Segments.length, 1);
    assert.equal(cb.l0Segments[0]!.groupId, 0n);
    const part = cb.partitionBackups[0]!;
    assert.equal(part.segmentBackups.length, 3);
    assert.equal(part.segmentBackups[0]!.groupId, s10);
    assert.equal(part.segmentBackups[0]!.binlogs.map((f) => f.fieldID).join(','), '0,1,100,101');
    assert.equal(part.segmentBackups[0]!.binlogs[3]!.binlogs[0]!.logPath, `files/insert_log/${c}/${p}/${s10}/101/4`);
    const expectedSize = 40 + 40 + 800 + 1600 + 30 + 20 + 20 + 400 + 800 + 60 + 44;
    assert.equal(info.size, BigInt(expectedSize));
    assert.equal(cb.size, BigInt(expectedSize));
    assert.equal(part.size, BigInt(expectedSize - 60));
    assert.equal(cb.indexInfos[0]!.indexType, 'HNSW');
    assert.equal(cb.hasIndex, true);
    assert.equal(cb.consistencyLevel, 2);
    assert.equal(cb.schema!.fields[2]!.defaultValueBase64, Buffer.from([0x10, 0x05]).toString('base64'), 'ValueField{int_data(2):5}');
    assert.equal(cb.schema!.fields[1]!.dataType, 101);
    assert.equal(cb.backupTimestamp, 456000000000000123n);
    assert.equal(cb.backupPhysicalTimestamp, 1700000000n);
    assert.ok(cb.channelCheckpoints['coll-v0']);
    assert.deepEqual(info.databaseBackups.map((d) => d.dbName), ['default']);
    // progress: totals reached and the collection finished
    const last = events.filter((e) => e.kind === 'bytes').pop();
    assert.ok(last && last.kind === 'bytes' && last.doneBytes === expectedSize && last.totalObjects === 11);
    assert.ok(events.some((e) => e.kind === 'collection' && e.state === 'done' && e.collection === 'coll'));
  });

  test('REST segments/describe on 2.5.8+: v_channel recorded; REST failure falls back to listing with a warning', async () => {
    const gw = await fake('v2.5.8');
    const s = await createBackup({ config: config(), name: 'rest_ok', strategy: 'skip_flush', gateway: gw, stores: { milvus: store, backup: store } });
    assert.equal(s.collections.length, 2);
    assert.ok(gw.calls.some((c) => c.startsWith('REST describe')));
    const st = await readBackupDir(store, 'backup-b', 'backup/rest_ok/', { detail: 'full' });
    assert.ok(st.state === 'complete' && st.info.collectionBackups[0]!.partitionBackups[0]!.segmentBackups[0]!.vChannel === 'coll-v0');
    gw.restDown = true;
    const s2 = await createBackup({ config: config(), name: 'rest_down', strategy: 'skip_flush', gateway: gw, stores: { milvus: store, backup: store } });
    assert.ok(s2.warnings.some((w) => /segments\/describe failed/.test(w)));
    assert.equal(s2.bytes, s.bytes);
  });

  test('strategies: meta_only writes meta alone, bulk_flush records FlushAll, auto picks by version', async () => {
    const gw = await fake('v2.6.11');
    const m = await createBackup({ config: config(), name: 'meta', strategy: 'meta_only', gateway: gw, stores: { milvus: store, backup: store } });
    const keys = await listKeys('backup-b', 'backup/meta/');
    assert.equal([...keys.keys()].filter((k) => k.includes('/binlogs/')).length, 0);
    assert.equal(m.bytes, 0);
    const a = await createBackup({ config: config(), name: 'auto', gateway: gw, stores: { milvus: store, backup: store } });
    assert.equal(a.strategy, 'bulk_flush');
    assert.ok(gw.calls.includes('FlushAll'));
    const st = await readBackupDir(store, 'backup-b', 'backup/auto/', { detail: 'full' });
    assert.ok(st.state === 'complete');
    if (st.state === 'complete') {
      assert.equal(st.info.controlChannelName, 'ctrl');
      assert.deepEqual(st.info.physicalChannelNames, ['dml_0']);
      assert.ok(st.info.flushAllMsgsBase64.dml_0);
      assert.equal(st.info.collectionBackups[0]!.backupTimestamp, 0n);
    }
  });

  test('skip_flush warns about rows that are not flushed yet', async () => {
    const gw = await fake();
    gw.growing['default.coll'] = 25;
    const s = await createBackup({ config: config(), name: 'unflushed', strategy: 'skip_flush', gateway: gw, stores: { milvus: store, backup: store } });
    assert.deepEqual(s.warnings.filter((w) => /not flushed/.test(w)), [
      'default.coll: 25 of 175 rows are not flushed yet and are not in this backup (strategy skip_flush); use the default strategy to flush first',
    ]);
  });

  test('filters: db.*, db. (database only), unknown collection, empty-backup refusal', async () => {
    const gw = await fake();
    const s = await createBackup({ config: config(), name: 'f1', filter: 'db1.*', strategy: 'skip_flush', gateway: gw, stores: { milvus: store, backup: store } });
    assert.deepEqual(s.collections.map((c) => `${c.db}.${c.collection}`), ['db1.other']);
    assert.deepEqual(s.databases, ['db1']);
    const d = await createBackup({ config: config(), name: 'f2', filter: 'db1.', strategy: 'skip_flush', gateway: gw, stores: { milvus: store, backup: store } });
    assert.equal(d.collections.length, 0);
    assert.deepEqual(d.databases, ['db1']);
    await assert.rejects(
      createBackup({ config: config(), name: 'f3', filter: 'db1.nope', gateway: gw, stores: { milvus: store, backup: store } }),
      /db1\.nope named by the filter does not exist/,
    );
    const empty = new FakeMilvus('v2.5.4', store, 'milvus-a', 'files', ['default'], []);
    await assert.rejects(
      createBackup({ config: config(), name: 'f4', gateway: empty, stores: { milvus: store, backup: store } }),
      (e: Error & { code?: string }) => e.code === 'empty-backup',
    );
    assert.equal((await listKeys('backup-b', 'backup/f4/')).size, 0);
  });

  test('refuses an existing name and names the delete command', async () => {
    const gw = await fake();
    await store.createBucket('backup-b');
    await store.put('backup-b', 'backup/taken/binlogs/x', Buffer.from('x'), 1);
    await assert.rejects(
      createBackup({ config: config(), name: 'taken', gateway: gw, stores: { milvus: store, backup: store } }),
      /already exists.*milvus-backup delete -n taken/,
    );
    await assert.rejects(createBackup({ config: config(), name: '1bad', gateway: gw, stores: { milvus: store, backup: store } }), /invalid backup name/);
  });

  test('rows with no binlogs fail naming the bucket and rootPath, and leave nothing behind', async () => {
    const gw = await fake();
    const wrongRoot = config((c) => { c.milvus.storage.rootPath = 'elsewhere'; });
    await assert.rejects(
      createBackup({ config: wrongRoot, name: 'wrong', strategy: 'skip_flush', gateway: gw, stores: { milvus: store, backup: store } }),
      /has \d+ rows in \d+ segment\(s\) but no binlog files were found in bucket "milvus-a" under root path "elsewhere"/,
    );
    assert.equal((await listKeys('backup-b', 'backup/wrong/')).size, 0);
  });

  test('a failure after copying removes everything copied (no incomplete backup left)', async () => {
    const gw = await fake();
    // the second collection fails after the first one's data is copied
    gw.onSegments = (db) => { if (db === 'db1') throw new Error('boom: datacoord unavailable'); };
    const c = config((x) => { x.backup.concurrency.collections = 1; });
    await assert.rejects(
      createBackup({ config: c, name: 'broken', strategy: 'skip_flush', gateway: gw, stores: { milvus: store, backup: store } }),
      /boom/,
    );
    assert.equal((await listKeys('backup-b', 'backup/broken/')).size, 0);
  });

  test('cancellation mid-copy: rejects as cancelled, cleans up, resumes GC', async () => {
    const colls = sampleCollections();
    // many objects so the copy is still running when we cancel
    const segs = colls[0]!.segments[0]!;
    segs.insert['100'] = Array.from({ length: 200 }, (_, i) => [1000n + BigInt(i), 2048] as [bigint, number]);
    segs.insert['101'] = Array.from({ length: 200 }, (_, i) => [5000n + BigInt(i), 2048] as [bigint, number]);
    segs.insert['0'] = Array.from({ length: 200 }, (_, i) => [9000n + BigInt(i), 16] as [bigint, number]);
    segs.insert['1'] = Array.from({ length: 200 }, (_, i) => [12000n + BigInt(i), 16] as [bigint, number]);
    const gw = await fake('v2.5.4', colls);
    const ac = new AbortController();
    let copied = 0;
    const cfg = config((x) => { x.backup.pauseGC = true; x.transfer.concurrency = 2; });
    await assert.rejects(
      createBackup({
        config: cfg, name: 'cancelled', strategy: 'skip_flush', gateway: gw, stores: { milvus: store, backup: store }, signal: ac.signal,
        onProgress: (e) => { if (e.kind === 'bytes' && e.doneObjects > 0) { copied = e.doneObjects; if (e.doneObjects >= 20) ac.abort(); } },
      }),
      (e: Error) => e.name === 'AbortError',
    );
    assert.ok(copied >= 20 && copied < 800, `cancelled mid-copy (copied ${copied})`);
    assert.equal((await listKeys('backup-b', 'backup/cancelled/')).size, 0);
    assert.deepEqual(gw.gcLog, ['pause cluster 3600', 'resume cluster']);
  });

  test('GC: cluster pause below 2.6.8, per-collection tickets from 2.6.8, both resumed', async () => {
    const gw = await fake('v2.6.9');
    await createBackup({ config: config((c) => { c.backup.pauseGC = true; }), name: 'gc_tickets', strategy: 'skip_flush', gateway: gw, stores: { milvus: store, backup: store } });
    assert.deepEqual(gw.gcLog.filter((l) => l.startsWith('pause')).length, 2);
    assert.ok(gw.gcLog.every((l) => !l.includes('cluster')));
    assert.deepEqual(gw.gcLog.filter((l) => l.startsWith('resume')).sort(), ['resume t1', 'resume t2']);
  });

  test('rbac and several databases', async () => {
    const gw = await fake();
    await createBackup({ config: config(), name: 'with_rbac', strategy: 'skip_flush', rbac: true, gateway: gw, stores: { milvus: store, backup: store } });
    const st = await readBackupDir(store, 'backup-b', 'backup/with_rbac/', { detail: 'full' });
    assert.ok(st.state === 'complete');
    if (st.state !== 'complete') return;
    assert.equal(st.info.rbacMeta?.users[0]?.user, 'u1');
    // Milvus 2.5: the CDC RPC channel position is recorded (v2.5.14 fake)
    assert.deepEqual(st.info.rpcChannelInfo, { name: 'by-dev-replicate-msg', position: 'cG9zaXRpb24=' });
    assert.deepEqual(st.info.databaseBackups.map((d) => [d.dbName, d.dbId]), [['default', 1n], ['db1', 2n]]);
    assert.deepEqual(st.info.collectionBackups.map((c) => c.dbName), ['default', 'db1']);
  });

  test('uneven field file counts are refused (Go check)', async () => {
    const colls = sampleCollections();
    colls[1]!.segments[0]!.insert['101']!.push([23n, 160]);
    const gw = await fake('v2.5.4', colls);
    await assert.rejects(
      createBackup({ config: config(), name: 'uneven', filter: 'db1.other', strategy: 'skip_flush', gateway: gw, stores: { milvus: store, backup: store } }),
      /field 101 has 2 binlog files but another field has 1/,
    );
  });

  test('meta is written with the completion marker last; a failure while writing it leaves no backup', async () => {
    const gw = await fake();
    const order: string[] = [];
    const failing = new Proxy(store, {
      get(t, prop, r) {
        if (prop === 'put') {
          return async (bucket: string, key: string, body: Buffer, size: number, o?: object) => {
            if (key.includes('/meta/')) order.push(key.split('/').pop()!);
            if (key.endsWith('full_meta.json') && key.includes('meta_fail')) throw new Error('disk full');
            return t.put(bucket, key, body, size, o);
          };
        }
        const v = Reflect.get(t, prop, r);
        return typeof v === 'function' ? v.bind(t) : v;
      },
    }) as ObjectStore;
    await createBackup({ config: config(), name: 'meta_ok', strategy: 'skip_flush', gateway: gw, stores: { milvus: store, backup: failing } });
    assert.deepEqual(order, ['collection_meta.json', 'partition_meta.json', 'segment_meta.json', 'full_meta.json', 'backup_meta.json']);
    await assert.rejects(
      createBackup({ config: config(), name: 'meta_fail', strategy: 'skip_flush', gateway: gw, stores: { milvus: store, backup: failing } }),
      /disk full/,
    );
    assert.equal((await listKeys('backup-b', 'backup/meta_fail/')).size, 0);
  });

  test('when the clean-up itself fails, the leftovers are listed as incomplete, never as a backup', async () => {
    const gw = await fake();
    gw.onSegments = (db) => { if (db === 'db1') throw new Error('boom'); };
    const noDelete = new Proxy(store, {
      get(t, prop, r) {
        if (prop === 'deleteObjects') return async () => { throw new Error('AccessDenied'); };
        const v = Reflect.get(t, prop, r);
        return typeof v === 'function' ? v.bind(t) : v;
      },
    }) as ObjectStore;
    const warnings: string[] = [];
    await assert.rejects(
      createBackup({
        config: config((c) => { c.backup.concurrency.collections = 1; }), name: 'stuck', strategy: 'skip_flush', gateway: gw, timing: { cleanup: { attempts: 2, initialDelayMs: 1, maxDelayMs: 1 } },
        stores: { milvus: store, backup: noDelete }, onProgress: (e) => { if (e.kind === 'warning') warnings.push(e.message); },
      }),
      /boom/,
    );
    assert.ok(warnings.some((w) => /could not remove the partial backup.*incomplete/.test(w)), warnings.join('\n'));
    assert.ok((await listKeys('backup-b', 'backup/stuck/')).size > 0);
    const list = await listBackups({ store, bucket: 'backup-b', rootPath: 'backup' });
    const e = list.find((x) => x.name === 'stuck');
    assert.ok(e && e.incomplete, 'listed as incomplete');
  });

  test('check: warns on an empty Milvus root, probes a copy and removes the probes', async () => {
    const gw = new FakeMilvus('v2.5.4', store, 'milvus-a', 'files', ['default'], []);
    const r = await checkSetup({ config: config(), gateway: gw, stores: { milvus: store, backup: store } });
    assert.equal(r.milvusRootEmpty, true);
    assert.ok(r.warnings.some((w) => /Milvus root path is empty/.test(w)));
    assert.deepEqual(r.probe.copied && r.probe.verified && r.probe.cleaned, true);
    assert.equal(r.transfer, 'server-side');
    assert.equal((await listKeys('milvus-a', '')).size, 0);
    assert.equal([...(await listKeys('backup-b', '')).keys()].filter((k) => k.includes('milvus_backup_check')).length, 0);
    const populated = await fake();
    const r2 = await checkSetup({ config: config(), gateway: populated, stores: { milvus: store, backup: store } });
    assert.equal(r2.milvusRootEmpty, false);
    assert.ok(r2.config.some(([k]) => k === 'backup.storage.auth.secretAccessKey'));
  });
});
