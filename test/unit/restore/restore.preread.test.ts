/**
 * `prereadBackup`: a caller that already read the backup's meta (the extension's Restore wizard) passes it in,
 * and neither the preview nor the run GETs meta/full_meta.json again; without it the engine reads the meta
 * itself (the CLI). Counted on a real store against the S3 test server, with real restores into a test Milvus.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createBackup } from '../../../src/core/backup/create';
import { getBackup } from '../../../src/core/catalog';
import type { ResolvedConfig } from '../../../src/core/config/types';
import { UserError } from '../../../src/core/errors';
import { planRestore, restoreBackup } from '../../../src/core/restore';
import { createObjectStore } from '../../../src/core/storage';
import type { ObjectStore } from '../../../src/core/storage/objectStore';
import { allRows, fillSimple, startSeedPair, type SeedPair } from './simEnv';

/** The store, with a count of GETs of keys ending in `suffix`. */
function countingGets(store: ObjectStore, suffix: string): { store: ObjectStore; gets: () => number } {
  let n = 0;
  const counted = new Proxy(store, {
    get(t, k) {
      const v = Reflect.get(t, k, t) as unknown;
      if (k === 'get') {
        return (bucket: string, key: string, o?: object) => {
          if (key.endsWith(suffix)) n++;
          return t.get(bucket, key, o);
        };
      }
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
    },
  });
  return { store: counted, gets: () => n };
}

let pair: SeedPair;
let cfgB: ResolvedConfig;
let raw: ObjectStore;

describe('restore with a pre-read backup meta', () => {
  before(async () => {
    pair = await startSeedPair('v2.5.14');
    await fillSimple(pair.ca, 'coll', 50, { partitions: ['p1'] });
    await createBackup({ config: pair.env.config(pair.fileA), name: 'b1', filter: 'coll' });
    cfgB = pair.env.config(pair.fileB);
    raw = createObjectStore(cfgB.backup.storage);
  });

  after(async () => {
    await raw?.close();
    await pair?.env.stop();
  });

  test('preview and run use the given meta and do not GET full_meta.json; without it the run reads it; same rows', async () => {
    const { store, gets } = countingGets(raw, '/meta/full_meta.json');
    const loc = { store, bucket: cfgB.backup.storage.bucketName, rootPath: cfgB.backup.storage.rootPath };
    const read = await getBackup(loc, 'b1');
    assert.equal(gets(), 1, 'the caller read the meta once');

    const base = { config: cfgB, name: 'b1', backupStore: store, pollIntervalMs: 50 };
    const preview = await planRestore({ ...base, suffix: '_pre', prereadBackup: read });
    assert.deepEqual(preview.problems, []);
    assert.equal(preview.totals.rows, 50);
    const pre = await restoreBackup({ ...base, suffix: '_pre', prereadBackup: read });
    assert.equal(pre.ok, true, pre.error);
    assert.equal(gets(), 1, 'neither the preview nor the run read the meta again');

    const fresh = await restoreBackup({ ...base, suffix: '_fresh' });
    assert.equal(fresh.ok, true, fresh.error);
    assert.equal(gets(), 2, 'without prereadBackup the engine reads the meta itself');

    assert.deepEqual(pre.collections.map((c) => c.rows), [{ expected: 50, actual: 50, verified: true }]);
    assert.deepEqual(fresh.collections.map((c) => c.rows), pre.collections.map((c) => c.rows));
    const original = await allRows(pair.ca, 'coll', ['pk', 'vec']);
    assert.equal(original.length, 50);
    assert.deepEqual(await allRows(pair.cb, 'coll_pre', ['pk', 'vec']), original);
    assert.deepEqual(await allRows(pair.cb, 'coll_fresh', ['pk', 'vec']), original);
  });

  test('a pre-read meta of another backup name is refused before anything is done', async () => {
    const read = await getBackup({ store: raw, bucket: cfgB.backup.storage.bucketName, rootPath: cfgB.backup.storage.rootPath }, 'b1');
    const req = { config: cfgB, name: 'b2', backupStore: raw, suffix: '_mismatch', prereadBackup: read };
    const isMismatch = (e: unknown) => e instanceof UserError && e.code === 'backup-mismatch' && /of backup "b1", but backup "b2"/.test(e.message);
    await assert.rejects(planRestore(req), isMismatch);
    await assert.rejects(restoreBackup(req), isMismatch);
    const has = await pair.cb.hasCollection({ collection_name: 'coll_mismatch' });
    assert.equal(has.value, false);
  });
});
