/**
 * The one verification walk (catalog/verifyWalk.ts) as `verifyBackup` reports it on a stored backup and as
 * `create` uses it: a backup taken from the Milvus test server verifies clean; a binlog removed and one
 * overwritten with other bytes are reported as missing and wrong-size, with the sizes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createBackup } from '../../../src/core/backup/create';
import { verifyCopied } from '../../../src/core/backup/verify';
import { getBackup } from '../../../src/core/catalog';
import { verifyBackup } from '../../../src/core/catalog/verifyBackup';
import { backupDirPrefix, backupInsertLogCollDir, segmentObjects, type Location } from '../../../src/core/layout';
import { createObjectStore } from '../../../src/core/storage';
import { fillSimple, startSeedPair, type SeedPair } from '../restore/simEnv';

let pair: SeedPair;
let loc: Location;

describe('verifyBackup', () => {
  before(async () => {
    pair = await startSeedPair('v2.5.14');
    await fillSimple(pair.ca, 'coll', 30);
    await createBackup({ config: pair.env.config(pair.fileA), name: 'b1', filter: 'coll' });
    const cfg = pair.env.config(pair.fileB);
    loc = { store: createObjectStore(cfg.backup.storage), bucket: cfg.backup.storage.bucketName, rootPath: cfg.backup.storage.rootPath };
  });
  after(async () => {
    await loc?.store.close();
    await pair?.env.stop();
  });

  test('a fresh backup: every binlog present with its size', async () => {
    const r = await verifyBackup(loc, 'b1');
    assert.equal(r.ok, true);
    const c = r.collections[0]!;
    assert.equal(c.name, 'default.coll');
    assert.ok(c.expectedObjects > 0);
    assert.equal(c.foundObjects, c.expectedObjects);
    assert.deepEqual([c.missing, c.wrongSize], [[], []]);
  });

  test('a removed and a resized binlog are reported; create\'s verification fails on the same walk', async () => {
    const { info } = await getBackup(loc, 'b1');
    const coll = info.collectionBackups[0]!;
    const dir = backupDirPrefix(loc.rootPath, 'b1');
    const objects = coll.partitionBackups.flatMap((p) => p.segmentBackups).flatMap((s) => segmentObjects(dir, s));
    assert.ok(objects.length >= 2);
    const [gone, resized] = objects as [(typeof objects)[0], (typeof objects)[0]];
    await loc.store.deleteObjects(loc.bucket, [gone.dstKey]);
    await loc.store.put(loc.bucket, resized.dstKey, Buffer.from('xyz'), 3);

    const r = await verifyBackup(loc, 'b1');
    assert.equal(r.ok, false);
    const c = r.collections[0]!;
    assert.deepEqual(c.missing, [gone.dstKey]);
    assert.deepEqual(c.wrongSize, [`${resized.dstKey} (3 bytes, meta says ${resized.size})`]);
    assert.equal(c.foundObjects, c.expectedObjects - 1);

    const expected = new Map(objects.map((o) => [o.dstKey, o.size]));
    await assert.rejects(verifyCopied(loc, [backupInsertLogCollDir(dir, coll.collectionId)], expected), (e: Error) =>
      e.name === 'VerifyError' && e.message.includes('1 missing') && e.message.includes(`${resized.dstKey} (3 bytes, expected ${resized.size})`));
  });
});
