/**
 * Across Milvus versions (the Go tool's README compatibility table) and from backups in the Go tool's own encoding:
 * 2.4 → 2.6 restores (merged REST jobs and the per-segment gRPC path), a 2.6 backup into 2.4 is refused
 * before anything changes, and the hand-built Go fixture backups plan and restore.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { createBackup } from '../../../src/core/backup/create';
import type { ResolvedConfig } from '../../../src/core/config/types';
import { UserError } from '../../../src/core/errors';
import { planRestore, restoreBackup } from '../../../src/core/restore';
import { createObjectStore } from '../../../src/core/storage';
import type { MilvusSimHandle } from '../../milvus-sim/index';
import { uploadFixture } from '../catalog/fixture';
import { allRows, countRows, fillSimple, startSeedPair, type RestoreEnv } from './simEnv';

let env: RestoreEnv;
let b: MilvusSimHandle;
let ca: MilvusClient;
let cb: MilvusClient;
let cfgA: ResolvedConfig;
let cfgB: ResolvedConfig;

describe('restore across versions and from Go-encoded backups', () => {
  before(async () => {
    const seed = await startSeedPair('v2.4.23', 'v2.6.9');
    ({ env, b, ca, cb } = seed);
    cfgA = env.config(seed.fileA);
    cfgB = env.config(seed.fileB);
    await fillSimple(ca, 'old', 64, { partitions: ['p1', 'p2'] });
    const del = await ca.delete({ collection_name: 'old', filter: 'pk in [1, 2, 3, 10, 11]' });
    assert.equal(del.status.error_code, 'Success', del.status.reason);
    await ca.flushSync({ collection_names: ['old'] });
    await createBackup({ config: cfgA, name: 'from24' });
    await fillSimple(cb, 'new', 5);
    await createBackup({ config: cfgB, name: 'from26' });
    const store = createObjectStore(cfgB.backup.storage);
    try {
      await uploadFixture(store, 'bucket-b', 'backup');
    } finally {
      await store.close();
    }
  });

  after(async () => {
    await env?.stop();
  });

  test('Milvus 2.4 → 2.6 with deletes: merged REST jobs', async () => {
    const r = await restoreBackup({ config: cfgB, name: 'from24', suffix: '_rest', pollIntervalMs: 50 });
    assert.equal(r.ok, true, r.error);
    assert.equal(await countRows(cb, 'old_rest'), 59);
    assert.deepEqual(await allRows(cb, 'old_rest', ['pk', 'vec']), await allRows(ca, 'old', ['pk', 'vec']));
  });

  test('Milvus 2.4 → 2.6 through gRPC Import, one job per segment', async () => {
    const r = await restoreBackup({ config: cfgB, name: 'from24', suffix: '_grpc', importApi: 'grpc', pollIntervalMs: 50 });
    assert.equal(r.ok, true, r.error);
    const data = r.collections[0]!.importJobs.filter((j) => j.kind === 'data');
    const segments = (await planRestore({ config: cfgB, name: 'from24', suffix: '_x' })).collections[0]!.partitions.reduce((n, p) => n + p.segments, 0);
    assert.equal(data.length, segments);
    assert.equal(await countRows(cb, 'old_grpc'), 59);
  });

  test('a 2.6 backup into Milvus 2.4 is refused before anything changes; the plan says why', async () => {
    const p = await planRestore({ config: cfgA, name: 'from26', suffix: '_down' });
    assert.equal(p.compatibility.ok, false);
    assert.match(p.compatibility.reason!, /same or a newer minor/);
    await assert.rejects(restoreBackup({ config: cfgA, name: 'from26', suffix: '_down' }), (e: unknown) => e instanceof UserError && e.code === 'version-incompatible');
    assert.equal((await ca.hasCollection({ collection_name: 'new_down' })).value, false);
  });

  test('Go fixture (full_meta.json): the plan reads ids > 2^53, partitions, L0 and jobs', async () => {
    const p = await planRestore({ config: cfgB, name: 'nightly_full', suffix: '_go', rbac: true, rebuildIndex: true });
    assert.equal(p.backup.milvusVersion, 'v2.5.4');
    assert.equal(p.compatibility.ok, true);
    const docs = p.collections.find((c) => c.source === 'default.docs')!;
    assert.equal(docs.target, 'default.docs_go');
    assert.deepEqual(docs.partitions.map((x) => [x.name, x.segments, x.l0Segments]), [['_default', 1, 1], ['p2024', 1, 0]]);
    assert.equal(docs.collectionL0Segments, 1);
    assert.deepEqual(docs.importJobs, { data: 2, l0: 2 });
    assert.deepEqual(docs.functions, ['bm25_fn']);
    assert.equal(docs.numPartitions, 2);
    assert.deepEqual(docs.indexes, [{ field: 'vector', name: 'vec_idx', type: 'HNSW' }]);
    assert.ok(p.databasesToCreate.includes('analytics'));
    assert.ok(p.rbac && p.rbac.privilegeGroups === 1 && p.rbac.grants === 1);
  });

  test('Go fixture without full_meta.json (level files) plans too', async () => {
    const p = await planRestore({ config: cfgB, name: 'weekly_levels', suffix: '_go' });
    assert.equal(p.backup.milvusVersion, 'v2.4.17');
    assert.ok(p.collections.length > 0);
  });

  test('Go fixture restores (meta only: its binlogs are placeholders); a partition-key collection whose partitions Milvus cannot have fails clearly', async () => {
    const r = await restoreBackup({ config: cfgB, name: 'nightly_full', suffix: '_go', metaOnly: true, rebuildIndex: true, filter: 'analytics.events_go' });
    assert.equal(r.ok, true, r.error);
    assert.deepEqual(r.createdDatabases, ['analytics']);
    const ce = env.client(b, 'analytics');
    const ev = await ce.describeCollection({ collection_name: 'events_go', db_name: 'analytics' });
    assert.deepEqual(ev.schema.fields.map((f) => f.name), ['id', 'emb', 'clips']); // clips: a struct-array field

    // docs: partition key with partitions named _default/p2024 (hand-built; Milvus has only _default_0, _default_1 there)
    // keepFailed: the failed collection stays (it would be dropped again) so its converted schema can be checked
    const d = await restoreBackup({ config: cfgB, name: 'nightly_full', collections: 'docs', suffix: '_go', metaOnly: true, rebuildIndex: true, keepFailed: true });
    assert.equal(d.ok, false);
    assert.match(d.error!, /uses a partition key, so its partitions are created by Milvus .*"_default" does not exist/);
    assert.equal(d.collections[0]!.created, true);
    const desc = await cb.describeCollection({ collection_name: 'docs_go' });
    const byName = Object.fromEntries(desc.schema.fields.map((f) => [f.name, f]));
    assert.equal(byName.pk!.autoID, true);
    assert.equal(byName.sparse!.is_function_output, true);
    assert.equal(byName.category!.nullable, true);
    assert.match(JSON.stringify(byName.category!.default_value), /other/);
    assert.equal(byName['année']!.is_partition_key, true);
    assert.equal(desc.schema.functions[0]!.name, 'bm25_fn');
    assert.equal(desc.schema.description, 'chunks <of> docs & "notes"');
    assert.equal(desc.num_partitions, '2');
  });
});
