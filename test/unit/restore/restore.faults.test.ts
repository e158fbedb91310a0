/**
 * What the Go tool does not do: the row-count check catching a server that loses rows, bounded retry of a
 * failed import job, and staging removed after failure and cancel, with a report naming what was created.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { createBackup } from '../../../src/core/backup/create';
import type { ResolvedConfig } from '../../../src/core/config/types';
import { restoreBackup } from '../../../src/core/restore';
import { createDataPlane } from '../../milvus-sim/data/index';
import type { MilvusSimHandle } from '../../milvus-sim/index';
import { allRows, fillSimple, faultyDataPlane, keysUnder, startRestoreEnv, type RestoreEnv } from './simEnv';

let env: RestoreEnv;
let a: MilvusSimHandle;
let ca: MilvusClient;
let cfgA: ResolvedConfig;
const faults = { failImports: 0, dropLastPair: false };

describe('restore safety: row check, retry, cleanup on failure and cancel', () => {
  before(async () => {
    env = await startRestoreEnv();
    // milvus_A restores into its own bucket-a from backups in bucket-b: every restore stages.
    const dp = await createDataPlane({
      s3: { endpoint: env.s3.endpoint, accessKey: env.s3.accessKey, secretKey: env.s3.secretKey, useSSL: false },
      bucket: 'bucket-a', rootPath: 'files', dataDir: join(env.dir, 'dp-a'), version: { major: 2, minor: 5, patch: 14 }, importStepMs: 10,
    });
    a = await env.startSim('a', 'bucket-a', 'v2.5.14', { dataPlane: faultyDataPlane(dp, faults) });
    ca = env.client(a);
    cfgA = env.config(await env.writeConfig('a.yaml', a, 'bucket-a', 'bucket-b'));
    // two flushes: two segments in one partition, i.e. one merged import job with two dir pairs
    await fillSimple(ca, 'coll', 40);
    const more = Array.from({ length: 30 }, (_, i) => ({ pk: 1000 + i, vec: [0.1, 0.2, 0.3, 0.4] }));
    assert.equal((await ca.insert({ collection_name: 'coll', data: more })).status.error_code, 'Success');
    await ca.flushSync({ collection_names: ['coll'] });
    await createBackup({ config: cfgA, name: 'b1', filter: 'coll' });
  });

  after(async () => {
    await env?.stop();
  });

  test('a server that silently drops a segment fails the row-count check loudly', async () => {
    faults.dropLastPair = true;
    try {
      const r = await restoreBackup({ config: cfgA, name: 'b1', suffix: '_lossy', pollIntervalMs: 50 });
      assert.equal(r.ok, false);
      const c = r.collections[0]!;
      assert.equal(c.outcome, 'failed');
      assert.equal(c.created, true);
      assert.equal(c.complete, false);
      assert.equal(c.rows?.expected, 70);
      assert.ok(c.rows!.actual < 70, JSON.stringify(c.rows));
      assert.match(r.error!, /row count check failed for default\.coll_lossy: \d+ rows missing/);
      // the half-filled collection this run created is dropped again (rollback.ts)
      assert.equal(c.rolledBack, true);
      assert.match(r.error!, /created and dropped again: default\.coll_lossy/);
      assert.equal((await ca.hasCollection({ collection_name: 'coll_lossy' })).value, false);
      assert.deepEqual(await keysUnder(env, 'bucket-a', 'restore-temp-'), []);
    } finally {
      faults.dropLastPair = false;
    }
  });

  test('keepFailed (--keep_failed): the collection a failed restore created stays, reported as incomplete', async () => {
    faults.dropLastPair = true;
    try {
      const r = await restoreBackup({ config: cfgA, name: 'b1', suffix: '_keptfailed', pollIntervalMs: 50, keepFailed: true });
      assert.equal(r.ok, false);
      assert.equal(r.collections[0]!.rolledBack, undefined);
      assert.match(r.error!, /created: default\.coll_keptfailed; incomplete .*default\.coll_keptfailed/);
      assert.equal((await ca.hasCollection({ collection_name: 'coll_keptfailed' })).value, true);
    } finally {
      faults.dropLastPair = false;
    }
  });

  test('a failed import job is retried and the restore completes', async () => {
    faults.failImports = 1;
    const r = await restoreBackup({ config: cfgA, name: 'b1', suffix: '_retried', pollIntervalMs: 50 });
    assert.equal(r.ok, true, r.error);
    const job = r.collections[0]!.importJobs[0]!;
    assert.equal(job.attempts, 2);
    assert.equal(job.jobId.split(',').length, 2);
    assert.deepEqual(r.collections[0]!.rows, { expected: 70, actual: 70, verified: true });
    assert.deepEqual(await allRows(ca, 'coll_retried', ['pk']), await allRows(ca, 'coll', ['pk']));
  });

  test('a job failing every attempt fails the collection after the bounded retries; no staging left', async () => {
    faults.failImports = 10;
    try {
      const r = await restoreBackup({ config: cfgA, name: 'b1', suffix: '_failing', pollIntervalMs: 50, importRetries: 2 });
      assert.equal(r.ok, false);
      assert.equal(r.cancelled, false);
      const c = r.collections[0]!;
      assert.equal(c.outcome, 'failed');
      assert.equal(c.importJobs[0]!.attempts, 3);
      assert.match(c.error!, /failed after 3 attempt\(s\): simulated import failure/);
      assert.deepEqual(await keysUnder(env, 'bucket-a', 'restore-temp-'), []);
      assert.deepEqual(r.stagingLeft, []);
    } finally {
      faults.failImports = 0;
    }
  });

  test('cancel during import: report says cancelled and incomplete, staging removed', async () => {
    const res = await fetch(`${a.managementUrl}/sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'jobs/import/create', delayMs: 1500, count: 1 }),
    });
    assert.equal(res.status, 200);
    const ac = new AbortController();
    let sawStaging = false;
    const p = restoreBackup({
      config: cfgA, name: 'b1', suffix: '_cancelled', pollIntervalMs: 50, signal: ac.signal,
      onProgress: (e) => {
        if (e.kind === 'collection' && e.state === 'started') {
          setTimeout(async () => {
            sawStaging = (await keysUnder(env, 'bucket-a', 'restore-temp-')).length > 0;
            ac.abort();
          }, 700);
        }
      },
    });
    const r = await p;
    assert.equal(r.ok, false);
    assert.equal(r.cancelled, true);
    assert.ok(sawStaging, 'the staging copy should have started before the cancel');
    const c = r.collections[0]!;
    assert.equal(c.outcome, 'cancelled');
    assert.equal(c.created, true);
    assert.equal(c.complete, false);
    assert.equal(c.rolledBack, true);
    assert.match(r.error!, /restore cancelled; created and dropped again: default\.coll_cancelled$/);
    assert.equal((await ca.hasCollection({ collection_name: 'coll_cancelled' })).value, false);
    assert.deepEqual(await keysUnder(env, 'bucket-a', 'restore-temp-'), []);
  });

  test('--truncate_binlog_by_ts sends each channel checkpoint as end_ts; the count can only be bounded', async () => {
    const r = await restoreBackup({ config: cfgA, name: 'b1', suffix: '_ts', truncateBinlogByTs: true, pollIntervalMs: 50 });
    assert.equal(r.ok, true, r.error);
    const rows = r.collections[0]!.rows!;
    assert.equal(rows.verified, false);
    assert.match(rows.note!, /upper bound/);
    // every row was flushed before the backup's checkpoint, so none is cut off
    assert.equal(rows.actual, 70);
  });

  test('REST import unavailable (REST served elsewhere / disabled): auto mode falls back to gRPC Import per segment', async () => {
    const cfg = { ...cfgA, milvus: { ...cfgA.milvus, rest: { endpoint: 'http://127.0.0.1:1' } } };
    const warnings: string[] = [];
    const r = await restoreBackup({
      config: cfg, name: 'b1', suffix: '_fallback', pollIntervalMs: 50,
      onProgress: (e) => e.kind === 'warning' && warnings.push(e.message),
    });
    assert.equal(r.ok, true, r.error);
    assert.ok(warnings.some((w) => /REST import is not available .*gRPC Import/.test(w)), warnings.join('\n'));
    assert.equal(r.collections[0]!.importJobs[0]!.jobId.split(',').length, 2, 'one gRPC job per segment');
    assert.deepEqual(r.collections[0]!.rows, { expected: 70, actual: 70, verified: true });
    const rest = await restoreBackup({ config: cfg, name: 'b1', suffix: '_restonly', importApi: 'rest', pollIntervalMs: 50 });
    assert.equal(rest.ok, false, 'an explicit REST choice does not fall back');
    assert.match(rest.error!, /cannot reach/);
  });

  test('transfer.mode streaming: staged by streaming copies (GET piped into PUT), verified, then removed', async () => {
    const cfg = { ...cfgA, transfer: { ...cfgA.transfer, mode: 'streaming' as const } };
    const r = await restoreBackup({ config: cfg, name: 'b1', suffix: '_streamed', pollIntervalMs: 50 });
    assert.equal(r.ok, true, r.error);
    assert.deepEqual(r.collections[0]!.rows, { expected: 70, actual: 70, verified: true });
    assert.deepEqual(await allRows(ca, 'coll_streamed', ['pk', 'vec']), await allRows(ca, 'coll', ['pk', 'vec']));
    assert.deepEqual(await keysUnder(env, 'bucket-a', 'restore-temp-'), []);
  });

  test('keepTempFiles leaves the staging prefix and says where', async () => {
    const cfg = { ...cfgA, restore: { ...cfgA.restore, keepTempFiles: true } };
    const r = await restoreBackup({ config: cfg, name: 'b1', suffix: '_kept', pollIntervalMs: 50, taskId: 'keepme' });
    assert.equal(r.ok, true, r.error);
    assert.deepEqual(r.stagingLeft, ['bucket-a/restore-temp-keepme-default-coll_kept/']);
    const keys = await keysUnder(env, 'bucket-a', 'restore-temp-keepme-default-coll_kept/binlogs/insert_log/');
    assert.ok(keys.length > 0);
  });
});
