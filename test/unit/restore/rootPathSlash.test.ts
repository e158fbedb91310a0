/**
 * A backup root written with a leading `/` (`minio.backupRootPath: /slashroot`; the loader only warns) names the
 * same place for create, list and restore: object keys never start with `/`, so create writes `slashroot/<name>/`,
 * list finds it there, and restore asks Milvus to import from there too (it used to ask for `/slashroot/…`,
 * which Milvus answered with "no binlog to import", after creating the target collection).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createBackup } from '../../../src/core/backup/create';
import { listBackups } from '../../../src/core/catalog';
import { openBackupCatalog } from '../../../src/core/catalog/openCatalog';
import { restoreBackup } from '../../../src/core/restore';
import { allRows, fillSimple, keysUnder, startSeedPair, type SeedPair } from './simEnv';

let pair: SeedPair;

describe('backup root with a leading slash', () => {
  before(async () => {
    pair = await startSeedPair('v2.5.14');
    await fillSimple(pair.ca, 'coll', 40, { partitions: ['p1'] });
  });
  after(async () => {
    await pair?.env.stop();
  });

  test('create → list → restore all use slashroot/<name>/', async () => {
    const set = ['minio.backupRootPath=/slashroot'];
    const cfgA = pair.env.config(pair.fileA, set);
    assert.equal(cfgA.backup.storage.rootPath, '/slashroot', 'the loader keeps what was written');
    const summary = await createBackup({ config: cfgA, name: 'b1', filter: 'coll' });
    assert.equal(summary.path, 'slashroot/b1/');
    const keys = await keysUnder(pair.env, 'bucket-b', '');
    assert.ok(keys.some((k) => k.startsWith('slashroot/b1/binlogs/insert_log/')), 'binlogs under slashroot/b1/');
    assert.ok(!keys.some((k) => k.startsWith('/')), 'no key starts with "/"');

    const cfgB = pair.env.config(pair.fileB, set);
    const cat = openBackupCatalog(cfgB);
    try {
      assert.deepEqual((await listBackups(cat)).map((e) => [e.name, e.state]), [['b1', 'complete']]);
    } finally {
      await cat.close();
    }

    const r = await restoreBackup({ config: cfgB, name: 'b1', suffix: '_r', pollIntervalMs: 50 });
    assert.equal(r.ok, true, r.error);
    assert.deepEqual(r.collections.map((c) => c.rows), [{ expected: 40, actual: 40, verified: true }]);
    assert.deepEqual(await allRows(pair.cb, 'coll_r', ['pk', 'vec']), await allRows(pair.ca, 'coll', ['pk', 'vec']));
  });
});
