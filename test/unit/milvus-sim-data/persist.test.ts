import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Env, collection, rows, setup, waitFor } from './helpers';

let env: Env;
before(async () => {
  env = await setup();
});
after(() => env.close());

describe('restart', () => {
  it('keeps segments, allocator, import jobs, GC tickets and (after a graceful close) growing data', async () => {
    const dir = await env.newDir();
    const dp1 = await env.open('2.6.8', {}, dir);
    const c = collection('2.6.8', { shards: 2 });
    await dp1.insert(c, undefined, rows(8));
    await dp1.flush(c);
    await dp1.delete(c, undefined, 'pk in [1, 2]');
    await dp1.flush(c);
    await dp1.insert(c, undefined, rows(3, 100n)); // growing, not flushed
    await dp1.delete(c, undefined, 'pk == 3'); // buffered delete
    const segs1 = await dp1.segments(c);
    const dst = collection('2.6.8', { shards: 1 });
    const j = await dp1.createImport(dst, '_default', [[`files/insert_log/${c.collectionId}/${c.partitions[0].partitionId}/`]], { backup: 'true', storage_version: '2' });
    await waitFor(() => dp1.getImport(j.jobId), (x) => x!.state === 'Completed');
    const { ticket } = dp1.pauseGc(3600, c.collectionId);
    const lastTs = BigInt(dp1.allocTimestamp());
    const expected = (await dp1.query(c, { filter: '', outputFieldIds: [101, 102, 103, 104] })).length;
    assert.equal(expected, 8 - 3 + 3);
    await dp1.close();

    const dp2 = await env.open('2.6.8', {}, dir);
    assert.ok(BigInt(dp2.allocTimestamp()) > lastTs);
    assert.deepEqual(await dp2.segments(c), segs1);
    assert.equal(await dp2.count(c, ''), expected);
    assert.deepEqual((await dp2.query(c, { filter: 'pk in [1, 2, 3]', outputFieldIds: [] })).length, 0);
    const row4 = await dp2.query(c, { filter: 'pk == 4', outputFieldIds: [101, 102] });
    assert.deepEqual(row4[0].get(101), [3, 3.5]);
    assert.equal(row4[0].get(102), 'n3');
    assert.equal((await dp2.getImport(j.jobId))!.state, 'Completed');
    assert.equal(await dp2.count(dst, ''), 8);
    // the ticket still holds GC off for c
    await dp2.compact(c);
    assert.deepEqual((await dp2.runGc()).deletedKeys, []);
    dp2.resumeGc(ticket);
    assert.ok((await dp2.runGc()).deletedKeys.length > 0);
    assert.equal(await dp2.count(c, ''), expected);
    // growing data restored from the graceful close flushes normally
    const fr = await dp2.flush(c);
    assert.ok(fr.segmentIds.length >= 1);
    await dp2.close();

    const dp3 = await env.open('2.6.8', {}, dir);
    assert.equal(await dp3.count(c, ''), expected);
  });

  it('an import running at shutdown starts over after the restart', async () => {
    const dir = await env.newDir();
    const dp1 = await env.open('2.5.14', { importStepMs: 400 }, dir);
    const c = collection('2.5.14', { shards: 1 });
    await dp1.insert(c, undefined, rows(4));
    await dp1.flush(c);
    const dst = collection('2.5.14', { shards: 1 });
    const j = await dp1.createImport(dst, '_default', [[`files/insert_log/${c.collectionId}/${c.partitions[0].partitionId}/`]], { backup: 'true' });
    await dp1.close();
    const dp2 = await env.open('2.5.14', { importStepMs: 10 }, dir);
    const done = await waitFor(() => dp2.getImport(j.jobId), (x) => x!.state === 'Completed' || x!.state === 'Failed');
    assert.equal(done!.state, 'Completed', done!.reason);
    assert.equal(await dp2.count(dst, ''), 4);
  });
});
