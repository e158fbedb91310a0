import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  backupDirPrefix, backupRootPrefix, defaultBackupName, deleteBackup, getBackup, listBackups, validateBackupName,
  writeBackupMeta, type Location,
} from '../../../src/core/catalog';
import { UserError } from '../../../src/core/errors';
import { buildMetaFiles, parseBackupInfo, stringifyBackupInfo } from '../../../src/core/meta';
import { fixtureMeta, uploadFixture } from './fixture';
import { MemoryStore } from './memoryStore';

async function setup(rootPath = 'backup') {
  const store = new MemoryStore(['bkt']);
  await uploadFixture(store, 'bkt', rootPath);
  store.calls.length = 0;
  const loc: Location = { store, bucket: 'bkt', rootPath };
  return { store, loc };
}

const userError = (code: string, re?: RegExp) => (e: unknown) =>
  e instanceof UserError && e.code === code && (!re || re.test(e.message));

describe('catalog: list', () => {
  test('complete, level-only and incomplete folders; one delimiter listing of the root', async () => {
    const { store, loc } = await setup();
    const list = await listBackups(loc);
    assert.deepEqual(list.map((e) => [e.name, e.state, e.size, e.milvusVersion]), [
      ['crashed_run', 'incomplete', 0n, ''],
      ['nightly_full', 'complete', 163441n, 'v2.5.4'],
      ['weekly_levels', 'complete', 157n, 'v2.4.17'],
    ]);
    assert.equal(list[0].incomplete, true);
    assert.match(list[0].problem!, /backup\/crashed_run\/meta\/backup_meta\.json/);
    assert.equal(list[1].id, 'b7e3a1c2-5f0d-4c8e-9a61-3d2f1e0c9b87');
    // one delimiter listing of the root and no listing per backup
    assert.deepEqual(store.calls.filter((c) => c.op.startsWith('list')).map((c) => c.arg), ['backup/']);
    // a complete backup with full_meta costs two requests: GET backup_meta.json + HEAD full_meta.json
    assert.deepEqual(store.calls.filter((c) => String(c.arg).startsWith('backup/nightly_full/')).map((c) => `${c.op} ${c.arg}`).sort(), [
      'get backup/nightly_full/meta/backup_meta.json', 'stat backup/nightly_full/meta/full_meta.json',
    ]);
  });

  test("detail 'full' lists each backup's collections with exact ids", async () => {
    const { loc } = await setup();
    const list = await listBackups(loc, { detail: 'full' });
    assert.deepEqual(list[1].collections, [
      { dbName: 'default', collectionName: 'docs', collectionId: 449834567890123456n },
      { dbName: 'analytics', collectionName: 'events', collectionId: 449834567890223456n },
    ]);
    assert.deepEqual(list[2].collections, [{ dbName: 'default', collectionName: 'weekly', collectionId: 449900000000000001n }]);
    assert.equal(list[0].collections, undefined);
  });

  test("a backup's finish time is its meta's write time, with no extra request", async () => {
    const { store, loc } = await setup();
    const backupMeta = new Date('2026-11-20T10:00:00Z');
    const fullMeta = new Date('2026-11-20T10:00:01Z');
    for (const name of ['nightly_full', 'weekly_levels']) {
      store.modified.set(`bkt/backup/${name}/meta/backup_meta.json`, backupMeta);
      store.modified.set(`bkt/backup/${name}/meta/full_meta.json`, fullMeta);
    }
    // summary: from the HEAD of full_meta.json it already makes; a level-files backup has none to HEAD
    const byName = new Map((await listBackups(loc)).map((e) => [e.name, e]));
    assert.deepEqual(byName.get('nightly_full')!.writtenAt, fullMeta);
    assert.equal(byName.get('weekly_levels')!.writtenAt, undefined);
    assert.equal(byName.get('crashed_run')!.writtenAt, undefined);
    // full: from the HEAD of backup_meta.json, whichever files hold the tree
    assert.deepEqual((await getBackup(loc, 'nightly_full')).writtenAt, backupMeta);
    assert.deepEqual((await getBackup(loc, 'weekly_levels')).writtenAt, backupMeta);
    assert.deepEqual((await listBackups(loc, { detail: 'full' })).map((e) => e.writtenAt), [undefined, backupMeta, backupMeta]);
  });

  test('root path forms: "/backup/", "backup//" and "" (bucket top)', async () => {
    for (const [upload, asked] of [['backup', '/backup/'], ['backup', 'backup//'], ['', ''], ['a/b', 'a/./b']]) {
      const { loc } = await setup(upload);
      const names = (await listBackups({ ...loc, rootPath: asked })).map((e) => e.name);
      assert.deepEqual(names, ['crashed_run', 'nightly_full', 'weekly_levels'], `${upload} / ${asked}`);
    }
    assert.equal(backupRootPrefix(''), '');
    assert.equal(backupRootPrefix('/'), '');
    assert.equal(backupRootPrefix('x/y/'), 'x/y/');
    assert.equal(backupDirPrefix('x', 'n'), 'x/n/');
  });

  test('bad meta is listed as unreadable, a folder missing full and level files as incomplete', async () => {
    const { store, loc } = await setup();
    await store.put('bkt', 'backup/bad_one/meta/backup_meta.json', Buffer.from('{"size":1}'), 10);
    await store.put('bkt', 'backup/bad_one/meta/full_meta.json', Buffer.from('{"size":'), 8);
    await store.put('bkt', 'backup/half/meta/backup_meta.json', Buffer.from('{"size":1}'), 10);
    await store.put('bkt', 'backup/half/meta/collection_meta.json', Buffer.from('{}'), 2);
    const byName = new Map((await listBackups(loc, { detail: 'full' })).map((e) => [e.name, e]));
    assert.equal(byName.get('bad_one')!.state, 'unreadable');
    assert.equal(byName.get('bad_one')!.incomplete, true);
    assert.equal(byName.get('half')!.state, 'incomplete');
    assert.match(byName.get('half')!.problem!, /partition_meta\.json, segment_meta\.json/);
    await assert.rejects(getBackup(loc, 'bad_one'), userError('backup-meta-invalid', /not valid JSON/));
    await assert.rejects(getBackup(loc, 'half'), userError('backup-incomplete'));
  });

  test('a missing bucket is a clear error', async () => {
    const { loc } = await setup();
    await assert.rejects(listBackups({ ...loc, bucket: 'nope' }), userError('bucket-not-found', /"nope"/));
  });

  test('1000 backups list with bounded parallel reads', async () => {
    const store = new MemoryStore(['bkt']);
    const text = fixtureMeta('weekly_levels', 'backup_meta.json');
    for (let i = 0; i < 1000; i++) {
      for (const f of ['backup_meta.json', 'full_meta.json']) {
        await store.put('bkt', `r/b_${String(i).padStart(4, '0')}/meta/${f}`, Buffer.from(text), text.length);
      }
    }
    const list = await listBackups({ store, bucket: 'bkt', rootPath: 'r' }, { concurrency: 8 });
    assert.equal(list.length, 1000);
    assert.ok(list.every((e) => e.state === 'complete' && e.size === 157n));
    assert.equal(list[999].name, 'b_0999');
    // 8 backups at a time, each with its two requests (GET + HEAD) in parallel
    assert.ok(store.maxInFlight > 2 && store.maxInFlight <= 16, `in flight: ${store.maxInFlight}`);
  });
});

describe('catalog: get', () => {
  test('full_meta backup: the whole tree with exact ids, meta size, source', async () => {
    const { loc } = await setup();
    const r = await getBackup(loc, 'nightly_full');
    assert.equal(r.source, 'full_meta');
    const metaBytes = ['backup_meta.json', 'collection_meta.json', 'partition_meta.json', 'segment_meta.json', 'full_meta.json']
      .reduce((s, f) => s + Buffer.byteLength(fixtureMeta('nightly_full', f)), 0);
    assert.equal(r.metaSize, BigInt(metaBytes));
    assert.equal(stringifyBackupInfo(r.info), fixtureMeta('nightly_full', 'full_meta.json'));
    assert.equal(r.info.collectionBackups[0].l0Segments[0].segmentId, 449834567890123510n);
  });

  test('backup without full_meta.json: rebuilt from the level files', async () => {
    const { loc } = await setup();
    const r = await getBackup(loc, 'weekly_levels');
    assert.equal(r.source, 'level_files');
    assert.deepEqual(
      r.info.collectionBackups[0].partitionBackups.flatMap((p) => p.segmentBackups.map((s) => s.segmentId)),
      [449900000000000101n, 449900000000000102n, 449900000000000103n],
    );
  });

  test('not found, incomplete and invalid names are UserErrors naming bucket and path', async () => {
    const { loc } = await setup();
    await assert.rejects(getBackup(loc, 'nothing_here'), userError('backup-not-found', /bucket "bkt" at "backup\/nothing_here\/"/));
    await assert.rejects(getBackup(loc, 'crashed_run'), userError('backup-incomplete', /delete -n crashed_run/));
    await assert.rejects(getBackup(loc, '../etc'), userError('invalid-backup-name'));
  });

  test('writeBackupMeta writes the five files in Go order and get reads them back', async () => {
    const store = new MemoryStore(['bkt']);
    const info = parseBackupInfo(fixtureMeta('nightly_full', 'full_meta.json'));
    await writeBackupMeta(store, 'bkt', 'root/copy/', info);
    assert.deepEqual(store.calls.filter((c) => c.op === 'put').map((c) => c.arg), [
      'root/copy/meta/backup_meta.json', 'root/copy/meta/collection_meta.json', 'root/copy/meta/partition_meta.json',
      'root/copy/meta/segment_meta.json', 'root/copy/meta/full_meta.json',
    ]);
    for (const f of buildMetaFiles(info)) {
      assert.equal(store.buckets.get('bkt')!.get(`root/copy/meta/${f.name}`)!.toString(), fixtureMeta('nightly_full', f.name));
    }
    const r = await getBackup({ store, bucket: 'bkt', rootPath: 'root' }, 'copy');
    assert.equal(r.info.collectionBackups[1].partitionBackups[0].segmentBackups[0].numOfRows, 9007199254740993n);
  });
});

describe('catalog: delete', () => {
  test('removes the whole prefix and nothing of a sibling with a longer name; marker first', async () => {
    const { store, loc } = await setup();
    await store.put('bkt', 'backup/nightly_full_2/meta/backup_meta.json', Buffer.from('{}'), 2);
    await store.put('bkt', 'backup/nightly_full.txt', Buffer.from('x'), 1);
    const before = store.keys('bkt');
    const mine = before.filter((k) => k.startsWith('backup/nightly_full/'));
    const r = await deleteBackup(loc, 'nightly_full');
    assert.equal(r.objects, mine.length);
    assert.equal(r.objects, 7);
    assert.equal(r.wasIncomplete, false);
    assert.deepEqual(store.keys('bkt'), before.filter((k) => !k.startsWith('backup/nightly_full/')));
    const deletes = store.calls.filter((c) => c.op === 'delete');
    assert.deepEqual(deletes[0].arg, ['backup/nightly_full/meta/backup_meta.json']);
    for (const d of deletes) for (const k of d.arg) assert.ok(k.startsWith('backup/nightly_full/'), k);
  });

  test('incomplete leftovers can be deleted; parallel batches cover every key', async () => {
    const { store, loc } = await setup();
    for (let i = 0; i < 25; i++) await store.put('bkt', `backup/crashed_run/binlogs/x/${i}`, Buffer.from('ab'), 2);
    const r = await deleteBackup(loc, 'crashed_run', { batchSize: 4, concurrency: 3 });
    assert.equal(r.wasIncomplete, true);
    assert.equal(r.objects, 26);
    assert.equal(r.bytes, 57n);
    assert.equal(store.calls.filter((c) => c.op === 'delete').length, 7);
    assert.ok(!store.keys('bkt').some((k) => k.startsWith('backup/crashed_run/')));
    assert.deepEqual((await listBackups(loc)).map((e) => e.name), ['nightly_full', 'weekly_levels']);
  });

  test('a folder without backup_meta.json holding non-backup data is refused (Milvus data under a shared root)', async () => {
    const { store, loc } = await setup('');
    await store.put('bkt', 'files/insert_log/1/2/3/100/4', Buffer.from('milvus'), 6);
    await store.put('bkt', 'stray/meta/notes.txt', Buffer.from('x'), 1);
    await store.put('bkt', 'stray/readme', Buffer.from('x'), 1);
    const before = store.keys('bkt');
    await assert.rejects(deleteBackup(loc, 'files'), userError('not-a-backup', /"files\/insert_log\/1\/2\/3\/100\/4"/));
    await assert.rejects(deleteBackup(loc, 'stray'), userError('not-a-backup', /"stray\/readme"/));
    assert.deepEqual(store.keys('bkt'), before);
    assert.equal(store.calls.filter((c) => c.op === 'delete').length, 0);
    // a leftover with only meta/ and binlogs/ is still deletable
    assert.equal((await deleteBackup(loc, 'crashed_run')).wasIncomplete, true);
  });

  test('missing backups and invalid names are refused without deleting anything', async () => {
    const { store, loc } = await setup();
    const before = store.keys('bkt');
    await assert.rejects(deleteBackup(loc, 'nightly'), userError('backup-not-found', /"backup\/nightly\/"/));
    await assert.rejects(deleteBackup(loc, 'nightly_full/..'), userError('invalid-backup-name'));
    await assert.rejects(deleteBackup(loc, ''), userError('invalid-backup-name'));
    assert.deepEqual(store.keys('bkt'), before);
    assert.equal(store.calls.filter((c) => c.op === 'delete').length, 0);
  });
});

describe('catalog: names', () => {
  test('validateBackupName follows §2.1', () => {
    for (const ok of ['a', '_', 'Backup_2024_01', 'x'.repeat(128), '_9']) validateBackupName(ok);
    for (const [bad, why] of [
      ['', /empty/], ['9lives', /start with a letter/], ['a b', /whitespace/], ['a-b', /only letters/],
      ['a/b', /only letters/], ['x'.repeat(129), /128/], ['é', /start with/], ['ab\t', /whitespace/],
    ] as const) {
      assert.throws(() => validateBackupName(bad), userError('invalid-backup-name', why), bad);
    }
  });

  test('defaultBackupName is backup_<UTC YYYY_MM_DD_HH_MM_SS>_<ns> and valid', () => {
    const d = new Date(Date.UTC(2026, 0, 5, 3, 4, 5, 678));
    assert.equal(defaultBackupName(d, 678901234), 'backup_2026_01_05_03_04_05_678901234');
    assert.equal(defaultBackupName(d, 5), 'backup_2026_01_05_03_04_05_5');
    const auto = defaultBackupName(d);
    assert.match(auto, /^backup_2026_01_05_03_04_05_678\d{6}$/);
    validateBackupName(auto);
  });
});
