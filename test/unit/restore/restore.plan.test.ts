/**
 * Restore runs the plan its preview made: `planRestore` returns the preview, and `restoreBackup({ ..., plan })`
 * restores what it planned without reading the backup's meta again (GETs under meta/ are counted on a real S3
 * store) or planning again. A preview that planRestore did not return, or of another backup, is refused before
 * anything is done.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createBackup } from '../../../src/core/backup/create';
import type { ResolvedConfig } from '../../../src/core/config/types';
import { UserError } from '../../../src/core/errors';
import { planRestore, restoreBackup } from '../../../src/core/restore';
import { createObjectStore } from '../../../src/core/storage';
import type { ObjectStore } from '../../../src/core/storage/objectStore';
import { allRows, fillSimple, startSeedPair, type SeedPair } from './simEnv';

function countingMetaGets(store: ObjectStore): { store: ObjectStore; gets: () => number } {
  let n = 0;
  const counted = new Proxy(store, {
    get(t, k) {
      const v = Reflect.get(t, k, t) as unknown;
      if (k === 'get') {
        return (bucket: string, key: string, o?: object) => {
          if (key.includes('/meta/')) n++;
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

describe('restore runs the previewed plan', () => {
  before(async () => {
    pair = await startSeedPair('v2.5.14');
    await fillSimple(pair.ca, 'coll', 30, { partitions: ['p1'] });
    await createBackup({ config: pair.env.config(pair.fileA), name: 'b1', filter: 'coll' });
    cfgB = pair.env.config(pair.fileB);
    raw = createObjectStore(cfgB.backup.storage);
  });
  after(async () => {
    await raw?.close();
    await pair?.env.stop();
  });

  test('the run restores the plan without reading the meta again', async () => {
    const { store, gets } = countingMetaGets(raw);
    const req = { config: cfgB, name: 'b1', suffix: '_planned', backupStore: store, pollIntervalMs: 50 };
    const preview = await planRestore(req);
    assert.deepEqual(preview.collections.map((c) => c.target), ['default.coll_planned']);
    const afterPreview = gets();
    assert.ok(afterPreview > 0, 'the preview read the meta');
    const r = await restoreBackup({ ...req, plan: preview });
    assert.equal(r.ok, true, r.error);
    assert.equal(gets(), afterPreview, 'the run read no meta');
    assert.deepEqual(r.collections.map((c) => [c.target, c.rows]), [['default.coll_planned', { expected: 30, actual: 30, verified: true }]]);
    assert.deepEqual(await allRows(pair.cb, 'coll_planned', ['pk', 'vec']), await allRows(pair.ca, 'coll', ['pk', 'vec']));
  });

  test('the targets are checked again at run time, with the message the preview gives', async () => {
    const req = { config: cfgB, name: 'b1', suffix: '_twice', backupStore: raw, pollIntervalMs: 50 };
    const preview = await planRestore(req);
    assert.deepEqual(preview.collections[0]!.problems, []);
    assert.equal((await restoreBackup({ ...req, plan: preview })).ok, true);
    const again = await planRestore(req);
    const problem = again.collections[0]!.problems[0]!;
    assert.match(problem, /already exists/);
    await assert.rejects(restoreBackup({ ...req, plan: preview }), (e: unknown) => e instanceof UserError && e.code === 'target-exists' && e.message === `restore: ${problem}`);
  });

  test('a plan not made by planRestore, or of another backup, is refused before anything is done', async () => {
    const req = { config: cfgB, name: 'b1', suffix: '_refused', backupStore: raw };
    const preview = await planRestore(req);
    await assert.rejects(restoreBackup({ ...req, plan: { ...preview } }), (e: unknown) => e instanceof UserError && e.code === 'plan-unknown');
    await assert.rejects(restoreBackup({ ...req, name: 'b2', plan: preview }), (e: unknown) => e instanceof UserError && e.code === 'backup-mismatch');
    const has = await pair.cb.hasCollection({ collection_name: 'coll_refused' });
    assert.equal(has.value, false);
  });
});
