/**
 * Rows and segments of a backup are counted one way (core/meta/counts.ts) by the create summary (the CLI), the
 * restore preview, the explorer tree and the details page. The backup here has a partition-level L0 segment (a
 * delete naming a partition) and a collection-level one (a delete naming none, partition −1): their `num_rows`
 * are deletes, not rows, and both are segments of the backup. The tree and the details page used to add the
 * partition L0's deletes to the rows and leave out the collection-level L0 segment.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createBackup } from '../../../src/core/backup/create';
import type { BackupSummary } from '../../../src/core/backup/types';
import { getBackup } from '../../../src/core/catalog';
import type { CollectionBackupInfo } from '../../../src/core/meta';
import { planRestore } from '../../../src/core/restore';
import { createObjectStore } from '../../../src/core/storage';
import { backupCollectionRow, describeBackupCollection } from '../../../src/vscode/format';
import { fillSimple, startSeedPair, type SeedPair } from '../restore/simEnv';

let pair: SeedPair;
let summary: BackupSummary;
let coll: CollectionBackupInfo;

describe('rows and segments of a backup with L0 segments', () => {
  before(async () => {
    pair = await startSeedPair('v2.5.14');
    await fillSimple(pair.ca, 'coll', 40, { partitions: ['p1'] });
    // even keys are in _default: a delete naming it is a partition-level L0; one naming no partition is partition −1
    const inPart = await pair.ca.delete({ collection_name: 'coll', filter: 'pk in [2, 4]', partition_name: '_default' });
    assert.equal(inPart.status.error_code, 'Success', inPart.status.reason);
    const all = await pair.ca.delete({ collection_name: 'coll', filter: 'pk in [1]' });
    assert.equal(all.status.error_code, 'Success', all.status.reason);
    await pair.ca.flushSync({ collection_names: ['coll'] });
    summary = await createBackup({ config: pair.env.config(pair.fileA), name: 'b1', filter: 'coll' });
    const cfg = pair.env.config(pair.fileB);
    const store = createObjectStore(cfg.backup.storage);
    try {
      coll = (await getBackup({ store, bucket: cfg.backup.storage.bucketName, rootPath: cfg.backup.storage.rootPath }, 'b1')).info.collectionBackups[0]!;
    } finally {
      await store.close();
    }
  });
  after(async () => {
    await pair?.env.stop();
  });

  test('the backup has both kinds of L0 segment', () => {
    const partL0 = coll.partitionBackups.flatMap((p) => p.segmentBackups).filter((s) => s.isL0);
    assert.ok(partL0.length >= 1, 'a partition-level L0 segment');
    assert.ok(partL0.some((s) => s.numOfRows > 0n), 'whose num_rows count deletes');
    assert.ok(coll.l0Segments.length >= 1, 'a collection-level L0 segment');
  });

  test('CLI summary, preview, tree and details show 40 rows and every segment', async () => {
    const segments = coll.partitionBackups.reduce((n, p) => n + p.segmentBackups.length, 0) + coll.l0Segments.length;
    const s = summary.collections[0]!;
    assert.deepEqual([s.rows, s.segments], ['40', segments], 'create summary (CLI)');

    const preview = await planRestore({ config: pair.env.config(pair.fileB), name: 'b1', suffix: '_r' });
    assert.deepEqual([preview.collections[0]!.rows, preview.collections[0]!.segments], [40, segments], 'restore preview');
    assert.deepEqual([preview.totals.rows, preview.totals.segments], [40, segments], 'preview totals');

    assert.match(describeBackupCollection(coll), new RegExp(`^40 rows · ${segments} segments · `), 'tree');
    assert.match(backupCollectionRow(coll), new RegExp(`^\\| default\\.coll \\| 2 \\| ${segments} \\| 40 \\| `), 'details');
  });
});
