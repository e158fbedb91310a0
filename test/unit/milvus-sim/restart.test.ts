/** A restart on the same data dir and bucket keeps catalog, segments and rows (issue 5 item 1: DIR is like etcd). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startEnv, rows, simpleFields } from './helpers';

test('restart keeps databases, collections, segments and rows', async () => {
  const env = await startEnv({ version: 'v2.5.14' });
  try {
    const first = env.sims[0];
    const c = env.client(first);
    await c.createDatabase({ db_name: 'keep' });
    await c.createCollection({ db_name: 'keep', collection_name: 'k', fields: simpleFields() });
    await c.insert({ db_name: 'keep', collection_name: 'k', data: rows(0, 8).map(({ color: _c, ...r }) => r) });
    await c.delete({ db_name: 'keep', collection_name: 'k', filter: 'id in [1]' });
    await c.flushSync({ db_name: 'keep', collection_names: ['k'] });
    await c.createIndex({ db_name: 'keep', collection_name: 'k', field_name: 'vec', index_type: 'AUTOINDEX', metric_type: 'L2' });
    const segsBefore = (await c.getPersistentSegmentInfo({ dbName: 'keep', collectionName: 'k' })).infos;
    await c.closeConnection();
    await first.stop();
    env.sims.splice(0, 1);
    const dir = env.dirs[0];

    const again = await env.addSim({ dataDir: dir, bucket: 'milvus-a' });
    const c2 = env.client(again);
    const segsAfter = (await c2.getPersistentSegmentInfo({ dbName: 'keep', collectionName: 'k' })).infos;
    assert.deepEqual(segsAfter, segsBefore);
    await c2.loadCollectionSync({ db_name: 'keep', collection_name: 'k' });
    assert.equal((await c2.count({ db_name: 'keep', collection_name: 'k' })).data, 7);
    // ids keep growing after a restart (the allocator state persists)
    const ins = await c2.insert({ db_name: 'keep', collection_name: 'k', data: rows(100, 101).map(({ color: _c, ...r }) => r) });
    assert.ok(BigInt(ins.timestamp) > BigInt(segsBefore[0].segmentID as unknown as string), 'new timestamps are above ids handed out before');
  } finally {
    await env.stop();
  }
});
