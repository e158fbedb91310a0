import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createBackup } from '../../../src/core/backup';
import { connectMilvus, gatewayOptionsFromConfig, type MilvusGateway } from '../../../src/core/milvus';
import { DataType, startSimEnv, type SimEnv } from './simEnv';

/**
 * The hazard GC pause exists for: a compaction merges segments the backup has just listed, and GC deletes the
 * merged-away files before they are copied. Without the pause the backup fails (and leaves nothing behind);
 * with it the same interleaving succeeds — cluster-wide below 2.6.8, per-collection tickets from 2.6.8.
 */

/** Several flushed segments, so compaction has something to merge. */
async function seedSegments(env: SimEnv, name: string): Promise<string> {
  const c = env.client;
  await c.createCollection({
    collection_name: name,
    fields: [
      { name: 'id', data_type: DataType.Int64, is_primary_key: true, autoID: false },
      { name: 'vec', data_type: DataType.FloatVector, dim: 4 },
    ],
  });
  for (let batch = 0; batch < 3; batch++) {
    const data = Array.from({ length: 40 }, (_, i) => ({ id: batch * 100 + i, vec: [i, 1, 2, 3] }));
    await c.insert({ collection_name: name, data });
    await c.flushSync({ collection_names: [name] });
  }
  const d = await c.describeCollection({ collection_name: name });
  return String(d.collectionID);
}

/** The real gateway, with a compaction + GC pass injected right after the segments are listed. */
function racing(gw: MilvusGateway, env: SimEnv, collectionId: string): MilvusGateway {
  return new Proxy(gw, {
    get(target, prop, recv) {
      if (prop === 'persistentSegments') {
        return async (db: string, name: string) => {
          const rows = await target.persistentSegments(db, name);
          const r = (await env.admin('/sim/compact', { collection_id: collectionId })) as { merged?: string[] };
          assert.ok((r.merged ?? []).length > 1, 'compaction merged the listed segments');
          await env.admin('/sim/gc');
          return rows;
        };
      }
      const v = Reflect.get(target, prop, recv);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

for (const version of ['v2.5.14', 'v2.6.9']) {
  describe(`GC pause on ${version}`, () => {
    let env: SimEnv;
    let gw: MilvusGateway | undefined;
    after(async () => {
      await gw?.close();
      await env?.stop();
    });

    test('compaction + GC during a backup that did not pause GC breaks it; nothing is left behind', async () => {
      env = await startSimEnv(version);
      const id = await seedSegments(env, 'hot');
      const cfg = env.config(['backup.gcPause.enable=false']);
      gw = await connectMilvus(gatewayOptionsFromConfig(cfg));
      await assert.rejects(
        createBackup({ config: cfg, name: 'unpaused', filter: 'hot', strategy: 'skip_flush', gateway: racing(gw, env, id) }),
        /removed while the backup ran .*enable backup\.pauseGC/,
      );
      assert.equal((await env.snapshot('bucket-b', 'backup/unpaused/')).size, 0);
    });

    test('the same interleaving succeeds when the backup paused GC, and GC is resumed after', async () => {
      const d = await env.client.describeCollection({ collection_name: 'hot' });
      // fresh segments for this run
      await env.client.insert({ collection_name: 'hot', data: Array.from({ length: 30 }, (_, i) => ({ id: 1000 + i, vec: [i, 1, 2, 3] })) });
      await env.client.flushSync({ collection_names: ['hot'] });
      await env.client.insert({ collection_name: 'hot', data: Array.from({ length: 30 }, (_, i) => ({ id: 2000 + i, vec: [i, 1, 2, 3] })) });
      await env.client.flushSync({ collection_names: ['hot'] });
      const cfg = env.config(['backup.gcPause.enable=true']);
      const s = await createBackup({ config: cfg, name: 'paused', filter: 'hot', strategy: 'skip_flush', gateway: racing(gw!, env, String(d.collectionID)) });
      assert.equal(s.gc, version === 'v2.6.9' ? 'collection' : 'cluster');
      assert.deepEqual(s.warnings.filter((w) => /GC/.test(w)), []);
      assert.equal(s.collections[0]!.rows, '180', '120 rows compacted by the first run + 60 new');
      // GC runs again after the backup: the merged-away files go now
      const before = (await env.snapshot('bucket-a', 'files/insert_log/')).size;
      await env.admin('/sim/gc');
      const afterGc = (await env.snapshot('bucket-a', 'files/insert_log/')).size;
      assert.ok(afterGc < before, `GC resumed (${before} → ${afterGc} objects)`);
    });
  });
}
