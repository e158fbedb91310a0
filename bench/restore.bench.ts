/**
 * Restore figures on the embedded S3 server and two Milvus test servers (in this process):
 *  - merged REST import jobs (the default) vs one gRPC Import per segment (the Go tool's default "v1" restore),
 *    on a collection of many small segments — the case Go's docs claim "up to 10x" for;
 *  - direct import (backup in the Milvus bucket) vs staging through the Milvus bucket (backup elsewhere).
 * The test server paces import jobs (`importStepMs`, default 150 ms per state) as a stand-in for Milvus's job
 * latency, so the ratios say how much job count matters, not how fast a real Milvus imports.
 *
 * Run: node --import tsx bench/restore.bench.ts [--segments N] [--rows-per-segment N] [--merged-only]
 * (--merged-only: only the merged restore, for its import-job count)
 * Prints one line per figure and a final `RESULT {json}` line. Figures only; nothing is asserted.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, MilvusClient } from '@zilliz/milvus2-sdk-node';
import { createBackup } from '../src/core/backup/create';
import { loadConfig } from '../src/core/config';
import { restoreBackup, type RestoreRequest } from '../src/core/restore';
import { startMilvusSim } from '../test/milvus-sim/index';
import { startS3Server } from '../test/servers/s3';
import { numberArg } from './args';

const SEGMENTS = numberArg('segments', 20);
const ROWS = numberArg('rows-per-segment', 50);

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'restore-bench-'));
  const s3 = await startS3Server({ buckets: ['bucket-a', 'bucket-b'] });
  const s3conf = { endpoint: s3.endpoint, accessKey: s3.accessKey, secretKey: s3.secretKey };
  const dataPlaneOptions = { maxRowsPerSegment: ROWS };
  const a = await startMilvusSim({ version: 'v2.5.14', dataDir: join(dir, 'a'), s3: s3conf, bucket: 'bucket-a', rootPath: 'files', dataPlaneOptions });
  const b = await startMilvusSim({ version: 'v2.5.14', dataDir: join(dir, 'b'), s3: s3conf, bucket: 'bucket-b', rootPath: 'files', dataPlaneOptions });
  const client = new MilvusClient({ address: a.address, logLevel: 'error', timeout: 600_000 });
  const env = { MINIO_ACCESS_KEY: s3.accessKey, MINIO_SECRET_KEY: s3.secretKey };
  const conf = async (name: string, port: number, milvusBucket: string, mgmt: string) => {
    const path = join(dir, name);
    await writeFile(path, [
      'milvus:', '  address: 127.0.0.1', `  port: ${port}`,
      'minio:', '  storageType: minio', '  address: 127.0.0.1', `  port: ${s3.port}`, '  useSSL: false',
      `  bucketName: ${milvusBucket}`, '  rootPath: files', '  backupBucketName: bucket-b', '  backupRootPath: backup',
      'backup:', '  gcPause:', `    address: ${mgmt}`, '',
    ].join('\n'));
    return loadConfig({ file: path, fileExplicit: true, env }).config;
  };
  try {
    const cfgA = await conf('a.yaml', a.port, 'bucket-a', a.managementUrl);
    const cfgB = await conf('b.yaml', b.port, 'bucket-b', b.managementUrl);
    await client.createCollection({
      collection_name: 'many',
      fields: [
        { name: 'pk', data_type: DataType.Int64, is_primary_key: true },
        { name: 'vec', data_type: DataType.FloatVector, dim: 8 },
      ],
    });
    const total = SEGMENTS * ROWS;
    // batches of ≤ 50 segments' rows: one insert that seals hundreds of segments can outlast the SDK's 15 s deadline
    const batch = Math.max(1, Math.min(1000, ROWS * 50));
    for (let s = 0; s < total; s += batch) {
      const data = Array.from({ length: Math.min(batch, total - s) }, (_, i) => ({ pk: s + i, vec: Array.from({ length: 8 }, (_, d) => (s + i + d) % 7) }));
      await client.insert({ collection_name: 'many', data });
    }
    await client.flushSync({ collection_names: ['many'] });
    const summary = await createBackup({ config: cfgA, name: 'bench' });
    const segs = summary.collections[0]!.segments;
    console.log(`backup: ${segs} segments, ${summary.collections[0]!.rows} rows, ${summary.bytes} bytes`);

    const time = async (label: string, req: Omit<RestoreRequest, 'name'>) => {
      const t0 = performance.now();
      const r = await restoreBackup({ name: 'bench', ...req, onProgress: process.env.BENCH_TRACE ? (e) => console.log(`${(performance.now() - t0).toFixed(0)} ms`, JSON.stringify(e)) : undefined });
      const ms = performance.now() - t0;
      if (!r.ok) throw new Error(`${label}: ${r.error}`);
      const jobs = r.collections.reduce((n, c) => n + c.importJobs.length, 0);
      console.log(`${label}: ${ms.toFixed(0)} ms, ${jobs} import job(s)`);
      return { ms, jobs };
    };
    const merged = await time('merged REST jobs, direct', { config: cfgB, suffix: '_m' });
    if (process.argv.includes('--merged-only')) {
      console.log(`RESULT ${JSON.stringify({ segments: segs, rows: total, mergedMs: Math.round(merged.ms), mergedJobs: merged.jobs })}`);
      return;
    }
    const perSeg = await time('per-segment gRPC Import, direct', { config: cfgB, suffix: '_g', importApi: 'grpc' });
    const staged = await time('merged REST jobs, staged via bucket-a', { config: cfgA, suffix: '_s' });
    const result = {
      segments: segs,
      rows: total,
      mergedMs: Math.round(merged.ms),
      mergedJobs: merged.jobs,
      perSegmentMs: Math.round(perSeg.ms),
      mergedSpeedup: Number((perSeg.ms / merged.ms).toFixed(2)),
      stagedMs: Math.round(staged.ms),
      stagingOverhead: Number((staged.ms / merged.ms).toFixed(2)),
    };
    console.log(`merged vs per-segment: ${result.mergedSpeedup}x; staging costs ${result.stagingOverhead}x the direct time`);
    console.log(`RESULT ${JSON.stringify(result)}`);
  } finally {
    await client.closeConnection().catch(() => undefined);
    await a.stop();
    await b.stop();
    await s3.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
