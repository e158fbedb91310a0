/**
 * Restore into Milvus 2.3 on the test server at v2.3.5 (what a real 2.3.5 showed, see importV1.ts): gRPC
 * Import with the backup option, one job per segment, GetImportState polled; deletes in the segments' delta
 * logs are applied by the import itself; `--import_api rest` and L0 segments are refused before anything
 * changes; the preview says what differs; a 2.4 backup stays refused (same or newer minor only).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { createBackup } from '../../../src/core/backup/create';
import type { ResolvedConfig } from '../../../src/core/config/types';
import { UserError } from '../../../src/core/errors';
import { featuresOf, parseVersion, restoreCompatibility } from '../../../src/core/milvus/version';
import type { CollectionBackupInfo } from '../../../src/core/meta/types';
import { planRestore, restoreBackup } from '../../../src/core/restore';
import { importV1CollectionProblems } from '../../../src/core/restore/importV1';
import { allRows, countRows, fillSimple, startSeedPair, type RestoreEnv } from './simEnv';

let env: RestoreEnv;
let ca: MilvusClient;
let cb: MilvusClient;
let cfgA: ResolvedConfig;
let cfgB: ResolvedConfig;

describe('restore into Milvus 2.3 (test server at v2.3.5)', () => {
  before(async () => {
    const seed = await startSeedPair('v2.3.5', 'v2.3.5');
    ({ env, ca, cb } = seed);
    cfgA = env.config(seed.fileA);
    cfgB = env.config(seed.fileB);
    await fillSimple(ca, 'old', 64, { partitions: ['p1'] });
    const del = await ca.delete({ collection_name: 'old', filter: 'pk in [1, 2, 3, 10, 11]' } as never);
    assert.equal(del.status.error_code, 'Success', del.status.reason);
    await ca.flushSync({ collection_names: ['old'] } as never);
    await createBackup({ config: cfgA, name: 'from23' });
  });

  after(async () => {
    await env?.stop();
  });

  test('the preview: one gRPC job per segment, and says what differs on 2.3', async () => {
    const p = await planRestore({ config: cfgB, name: 'from23', suffix: '_plan' });
    assert.equal(p.compatibility.ok, true, p.compatibility.reason);
    assert.deepEqual(p.problems, []);
    assert.equal(p.importMode, 'per-segment');
    const c = p.collections[0]!;
    assert.equal(c.importJobs.data, c.partitions.reduce((n, x) => n + x.segments, 0));
    assert.equal(c.importJobs.l0, 0, 'Milvus 2.3 has no L0 segments: the deletes are in the segments\' delta logs');
    assert.ok(p.compatibility.notes?.some((n) => /gRPC Import with the backup option, one job per segment/.test(n)), JSON.stringify(p.compatibility));
    assert.ok(p.compatibility.notes?.some((n) => /delete logs while importing/.test(n)));
  });

  test('restore: every row back, deleted rows stay deleted, one GetImportState-polled job per segment', async () => {
    const r = await restoreBackup({ config: cfgB, name: 'from23', suffix: '_bak', pollIntervalMs: 50 });
    assert.equal(r.ok, true, r.error);
    const c = r.collections[0]!;
    const segments = (await planRestore({ config: cfgB, name: 'from23', suffix: '_x' })).collections[0]!.segments;
    assert.equal(c.importJobs.length, segments);
    assert.ok(c.importJobs.every((j) => j.kind === 'data' && j.state === 'ImportCompleted'), JSON.stringify(c.importJobs));
    assert.equal(c.rows?.expected, 64, 'the backup stores 64 rows (the deletes are separate)');
    assert.equal(c.rows?.actual, 59, 'the import dropped the 5 deleted rows');
    assert.match(c.rows?.note ?? '', /5 of 64 stored rows were deleted ones/);
    assert.equal(await countRows(cb, 'old_bak'), 59);
    assert.deepEqual(await allRows(cb, 'old_bak', ['pk', 'vec']), await allRows(ca, 'old', ['pk', 'vec']));
  });

  test('--import_api rest is refused on 2.3 before anything changes; the preview names it', async () => {
    const p = await planRestore({ config: cfgB, name: 'from23', suffix: '_rest', importApi: 'rest' });
    assert.ok(p.problems.some((x) => /--import_api rest needs REST import jobs \(Milvus 2.4 or newer\)/.test(x)), p.problems.join('; '));
    await assert.rejects(restoreBackup({ config: cfgB, name: 'from23', suffix: '_rest', importApi: 'rest' }), (e: unknown) => e instanceof UserError && /use --import_api grpc or auto/.test(e.message));
    assert.equal((await cb.hasCollection({ collection_name: 'old_rest' } as never)).value, false);
  });

  test('gRPC Import with the backup option and no partition: 2.3 RootCoord\'s answer', async () => {
    const r = await cb.bulkInsert({ collection_name: 'old_bak', files: ['x/', ''], options: [{ key: 'backup', value: 'true' }] });
    assert.equal(r.status.error_code, 'UnexpectedError');
    assert.equal(r.status.reason, 'partition name not specified when backup');
  });

  test('a 2.4 backup and L0 segments cannot go into 2.3; 2.2 is not a target', () => {
    const v23 = parseVersion('v2.3.5');
    assert.match(restoreCompatibility(parseVersion('v2.4.23'), v23).reason ?? '', /same or a newer minor/);
    assert.equal(restoreCompatibility(parseVersion('v2.3.0'), v23).ok, true);
    assert.match(restoreCompatibility(undefined, parseVersion('v2.2.16')).reason ?? '', /must be Milvus 2\.3 or newer/);
    const c = { dbName: 'default', collectionName: 'x', l0Segments: [{ isL0: true }], partitionBackups: [] } as unknown as CollectionBackupInfo;
    assert.match(importV1CollectionProblems({ version: v23, features: featuresOf(v23) }, c, false)[0] ?? '', /1 L0 segment\(s\).*cannot import.*deleted rows would come back/);
    assert.deepEqual(importV1CollectionProblems({ version: v23, features: featuresOf(v23) }, c, true), [], 'meta only imports nothing');
    const v24 = parseVersion('v2.4.0');
    assert.deepEqual(importV1CollectionProblems({ version: v24, features: featuresOf(v24) }, c, false), []);
  });
});
