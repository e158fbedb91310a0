import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Env, ROOT, collection, rows, setup, v } from './helpers';
import { GcControl } from '../../milvus-sim/data/gcControl';

let env: Env;
before(async () => {
  env = await setup();
});
after(() => env.close());

async function keysOf(collectionId: string): Promise<string[]> {
  return [...(await env.store.list(`${ROOT}/insert_log/${collectionId}/`)), ...(await env.store.list(`${ROOT}/delta_log/${collectionId}/`))].map((o) => o.key);
}

describe('compaction and garbage collection', () => {
  it('compaction merges flushed segments into a new one; GC then deletes the old binlogs', async () => {
    const dp = await env.open('2.5.14');
    const c = collection('2.5.14', { shards: 1 });
    await dp.insert(c, undefined, rows(3));
    const f1 = await dp.flush(c);
    await dp.insert(c, undefined, rows(3, 10n));
    const f2 = await dp.flush(c);
    await dp.delete(c, undefined, 'pk in [2]');
    await dp.flush(c);
    const before = await dp.segments(c);
    assert.equal(before.length, 3); // two L1 + one L0
    const oldKeys = before.filter((s) => s.level !== 'L0').flatMap((s) => s.insertLogs.flatMap((f) => f.binlogs.map((b) => b.key)));
    const res = await dp.compact(c);
    assert.deepEqual([...res.merged].sort(), [...f1.segmentIds, ...f2.segmentIds, before.find((s) => s.level === 'L0')!.segmentId].sort());
    assert.equal(res.created.length, 1);
    const after = await dp.segments(c);
    assert.equal(after.length, 1);
    assert.equal(after[0].segmentId, res.created[0]);
    assert.equal(after[0].numRows, 5, 'deleted row removed by compaction');
    assert.equal(after[0].isSorted, true);
    assert.equal((await dp.segment(f1.segmentIds[0]))!.state, 'Dropped');
    assert.equal(await dp.count(c, ''), 5);
    // dropped files are still there until GC runs
    for (const k of oldKeys) assert.ok((await keysOf(c.collectionId)).includes(k));
    const gc = await dp.runGc();
    for (const k of oldKeys) assert.ok(gc.deletedKeys.includes(k));
    const left = await keysOf(c.collectionId);
    for (const k of oldKeys) assert.ok(!left.includes(k));
    assert.equal(left.length, 7, 'only the compacted segment remains');
    assert.equal(await dp.segment(f1.segmentIds[0]), undefined, 'GC removes the metadata too');
    assert.equal(await dp.count(c, ''), 5);
  });

  it('a cluster-wide pause keeps dropped binlogs until resumed', async () => {
    const dp = await env.open('2.5.14');
    const c = collection('2.5.14', { shards: 1 });
    await dp.insert(c, undefined, rows(2));
    await dp.flush(c);
    await dp.insert(c, undefined, rows(2, 5n));
    await dp.flush(c);
    assert.deepEqual(dp.pauseGc(3600), {});
    await dp.compact(c);
    const dropped = 7 * 2;
    assert.deepEqual((await dp.runGc()).deletedKeys, []);
    assert.equal((await keysOf(c.collectionId)).length, 7 * 3);
    // before 2.6.8 a collection id is ignored: still a cluster pause, no ticket
    assert.deepEqual(dp.pauseGc(1, c.collectionId), {});
    dp.resumeGc();
    assert.equal((await dp.runGc()).deletedKeys.length, dropped);
    assert.equal((await keysOf(c.collectionId)).length, 7);
  });

  it('pauses and tickets expire after their seconds (GcControl with a test clock)', () => {
    let now = 1_000_000;
    let changes = 0;
    const g = new GcControl(v('2.6.8'), undefined, () => changes++, () => now);
    assert.deepEqual(g.pause(10), {});
    assert.equal(g.isPaused('7'), true);
    now += 10_001;
    assert.equal(g.isPaused('7'), false);
    const { ticket } = g.pause(5, '7');
    assert.ok(ticket);
    assert.equal(g.isPaused('7'), true);
    assert.equal(g.isPaused('8'), false);
    now += 5_001;
    assert.equal(g.isPaused('7'), false);
    assert.deepEqual(g.state().tickets, {}, 'expired tickets are forgotten');
    const t2 = g.pause(60, '7').ticket!;
    g.pause(60, '7');
    g.resume(t2);
    assert.equal(g.isPaused('7'), true, 'the other ticket still holds');
    g.resume(undefined, '7');
    assert.equal(g.isPaused('7'), false);
    // before 2.6.8 a collection id means a cluster-wide pause
    const old = new GcControl(v('2.6.7'), undefined, () => undefined, () => now);
    assert.deepEqual(old.pause(5, '7'), {});
    assert.equal(old.isPaused('8'), true);
    assert.ok(changes > 0);
  });

  it('2.6.8+: per-collection tickets pause GC for that collection only', async () => {
    const dp = await env.open('2.6.8');
    const a = collection('2.6.8', { shards: 1 });
    const b = collection('2.6.8', { shards: 1 });
    for (const c of [a, b]) {
      await dp.insert(c, undefined, rows(2));
      await dp.flush(c);
      await dp.insert(c, undefined, rows(2, 9n));
      await dp.flush(c);
    }
    const { ticket } = dp.pauseGc(3600, a.collectionId);
    assert.ok(ticket);
    await dp.compact(a);
    await dp.compact(b);
    const gc1 = await dp.runGc();
    assert.equal(gc1.deletedKeys.length, 14);
    assert.ok(gc1.deletedKeys.every((k) => k.includes(`/${b.collectionId}/`)));
    assert.equal((await keysOf(a.collectionId)).length, 21);
    dp.resumeGc(ticket);
    const gc2 = await dp.runGc();
    assert.equal(gc2.deletedKeys.length, 14);
    assert.equal((await keysOf(a.collectionId)).length, 7);
  });

  it('dropping a collection makes all its binlogs collectable (unless paused)', async () => {
    const dp = await env.open('2.5.14');
    const c = collection('2.5.14', { shards: 2 });
    await dp.insert(c, undefined, rows(10));
    await dp.flush(c);
    await dp.delete(c, undefined, 'pk in [1]');
    await dp.flush(c);
    const n = (await keysOf(c.collectionId)).length;
    assert.ok(n > 7);
    dp.pauseGc(60);
    await dp.dropCollection(c);
    assert.deepEqual(await dp.segments(c), []);
    assert.equal((await dp.runGc()).deletedKeys.length, 0);
    dp.resumeGc();
    assert.equal((await dp.runGc()).deletedKeys.length, n);
    assert.deepEqual(await keysOf(c.collectionId), []);
    await assert.rejects(dp.insert(c, undefined, rows(1)));
  });

  it('the hazard: a backup that lists segments and copies later loses files to compaction + GC unless GC is paused', async () => {
    const dp = await env.open('2.5.14', { compactionIntervalMs: 30, gcIntervalMs: 30 });
    const c = collection('2.5.14', { shards: 1 });
    for (let i = 0; i < 3; i++) {
      await dp.insert(c, undefined, rows(2, BigInt(i * 10)));
      await dp.flush(c);
    }
    // unpaused: the listed binlogs disappear before they are copied
    const listed = (await dp.segments(c)).flatMap((s) => s.insertLogs.flatMap((f) => f.binlogs.map((b) => b.key)));
    assert.ok(listed.length >= 7 && listed.length % 7 === 0);
    // one more segment, so whatever was listed gets merged into a new one
    await dp.insert(c, undefined, rows(2, 50n));
    await dp.flush(c);
    const gone = await waitForGone(listed[0]);
    assert.ok(gone, 'the background compaction + GC removed a listed binlog');
    assert.equal(await dp.count(c, ''), 8, 'no data lost in Milvus itself');
    // paused: more flushes, compaction still runs, but the files stay
    dp.pauseGc(3600);
    await dp.insert(c, undefined, rows(2, 100n));
    await dp.flush(c);
    const listed2 = (await dp.segments(c)).flatMap((s) => s.insertLogs.flatMap((f) => f.binlogs.map((b) => b.key)));
    await new Promise((r) => setTimeout(r, 200));
    const present = new Set(await keysOf(c.collectionId));
    for (const k of listed2) assert.ok(present.has(k), k);
    assert.equal(await dp.count(c, ''), 10);
    dp.resumeGc();
  });
});

async function waitForGone(key: string): Promise<boolean> {
  const t0 = Date.now();
  while (Date.now() - t0 < 30_000) {
    try {
      await env.store.get(key);
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}
