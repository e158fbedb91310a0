/**
 * The seed document, runnable: `npm run demo`.
 *
 * Starts the embedded S3 server (buckets bucket-a and bucket-b) and two Milvus test servers — milvus_A keeping
 * its data in bucket-a, milvus_B in bucket-b — fills a collection `coll` in milvus_A through the Milvus SDK,
 * then runs the document's two commands through our CLI with the two configs it describes:
 *
 *   milvus-backup --config A.yaml create  -c coll -n my_backup          (A: Milvus A, backup bucket bucket-b)
 *   milvus-backup --config B.yaml restore -c coll -n my_backup -s _bak  (B: Milvus B, backup bucket bucket-b)
 *
 * and prints what happened and the row counts on both sides, checked by query. Everything it starts is stopped
 * and its temp dir removed, also on failure. (The document's bucket names `bucket_A`/`bucket_B` are not valid
 * S3 bucket names; `bucket-a`/`bucket-b` are.)
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, MilvusClient } from '@zilliz/milvus2-sdk-node';
import { runCli } from '../src/cli/program';
import { startMilvusSim, type MilvusSimHandle } from '../test/milvus-sim/index';
import { startS3Server, type S3ServerHandle } from '../test/servers/s3';
import { testServerYaml } from '../test/servers/backupYaml';

export interface DemoContext {
  milvusA: MilvusSimHandle;
  milvusB: MilvusSimHandle;
  clientA: MilvusClient;
  clientB: MilvusClient;
}

export interface DemoOptions {
  rows?: number;
  /** Milvus version both test servers behave as. */
  version?: string;
  print?: (line: string) => void;
  /** Called before the servers stop (tests check the result themselves here). */
  beforeStop?: (ctx: DemoContext) => Promise<void>;
}

export interface DemoResult {
  sourceRows: number;
  restoredRows: number;
  sameRows: boolean;
}

const DIM = 8;

function yaml(milvus: MilvusSimHandle, s3: S3ServerHandle, milvusBucket: string, backupBucket: string): string {
  return testServerYaml({
    milvusAddress: `127.0.0.1:${milvus.port}`,
    s3Endpoint: `127.0.0.1:${s3.port}`,
    milvusBucket,
    backupBucket,
    gcPause: { enable: true, address: milvus.managementUrl },
  });
}

async function ensureIndexAndLoad(c: MilvusClient, collection: string): Promise<void> {
  const idx = await c.describeIndex({ collection_name: collection });
  if (!(idx.index_descriptions ?? []).length) {
    const r = await c.createIndex({ collection_name: collection, field_name: 'vec', index_type: 'FLAT', metric_type: 'L2' });
    if (r.error_code !== 'Success') throw new Error(`create index on ${collection}: ${r.reason}`);
  }
  const l = await c.loadCollection({ collection_name: collection });
  if (l.error_code !== 'Success') throw new Error(`load ${collection}: ${l.reason}`);
}

async function rowsOf(c: MilvusClient, collection: string): Promise<{ count: number; rows: string[] }> {
  await ensureIndexAndLoad(c, collection);
  const cnt = await c.query({ collection_name: collection, filter: '', output_fields: ['count(*)'] });
  if (cnt.status.error_code !== 'Success') throw new Error(`count ${collection}: ${cnt.status.reason}`);
  const all = await c.query({ collection_name: collection, filter: 'pk >= 0', output_fields: ['pk', 'title', 'vec'], limit: 16384 });
  if (all.status.error_code !== 'Success') throw new Error(`query ${collection}: ${all.status.reason}`);
  const rows = all.data
    .map((r) => JSON.stringify([String(r.pk), r.title, (r.vec as number[]).map((x) => Math.round(x * 1e6))]))
    .sort();
  return { count: Number(cnt.data[0]!['count(*)']), rows };
}

export async function runDemo(o: DemoOptions = {}): Promise<DemoResult> {
  const print = o.print ?? ((l: string) => process.stdout.write(l + '\n'));
  const n = o.rows ?? 2000;
  const version = o.version ?? 'v2.5.14';
  const dir = await mkdtemp(join(tmpdir(), 'milvus-backup-demo-'));
  const started: Array<{ stop(): Promise<void> }> = [];
  const clients: MilvusClient[] = [];
  try {
    const s3 = await startS3Server({ buckets: ['bucket-a', 'bucket-b'] });
    started.push(s3);
    print(`S3 server at ${s3.endpoint}, buckets bucket-a and bucket-b`);
    const s3conf = { endpoint: s3.endpoint, accessKey: s3.accessKey, secretKey: s3.secretKey };
    const milvusA = await startMilvusSim({ version, dataDir: join(dir, 'milvus-a'), s3: s3conf, bucket: 'bucket-a', rootPath: 'files' });
    started.push(milvusA);
    const milvusB = await startMilvusSim({ version, dataDir: join(dir, 'milvus-b'), s3: s3conf, bucket: 'bucket-b', rootPath: 'files' });
    started.push(milvusB);
    print(`milvus_A (Milvus ${version} test server) at ${milvusA.address}, data in bucket-a/files`);
    print(`milvus_B (Milvus ${version} test server) at ${milvusB.address}, data in bucket-b/files`);

    const clientA = new MilvusClient({ address: milvusA.address, logLevel: 'error' });
    const clientB = new MilvusClient({ address: milvusB.address, logLevel: 'error' });
    clients.push(clientA, clientB);
    const created = await clientA.createCollection({
      collection_name: 'coll',
      fields: [
        { name: 'pk', data_type: DataType.Int64, is_primary_key: true, autoID: false },
        { name: 'title', data_type: DataType.VarChar, max_length: 64 },
        { name: 'vec', data_type: DataType.FloatVector, dim: DIM },
      ],
    });
    if (created.error_code !== 'Success') throw new Error(`create coll: ${created.reason}`);
    for (let start = 0; start < n; start += 500) {
      const data = Array.from({ length: Math.min(500, n - start) }, (_, i) => {
        const pk = start + i;
        return { pk, title: `row ${pk}`, vec: Array.from({ length: DIM }, (_, d) => Math.sin(pk + d)) };
      });
      const r = await clientA.insert({ collection_name: 'coll', data });
      if (r.status.error_code !== 'Success') throw new Error(`insert: ${r.status.reason}`);
    }
    await clientA.flushSync({ collection_names: ['coll'] });
    print(`filled coll in milvus_A with ${n} rows (SDK insert + flush)`);

    const confA = join(dir, 'A', 'backup.yaml');
    const confB = join(dir, 'B', 'backup.yaml');
    await mkdir(join(dir, 'A'));
    await mkdir(join(dir, 'B'));
    await writeFile(confA, yaml(milvusA, s3, 'bucket-a', 'bucket-b'));
    await writeFile(confB, yaml(milvusB, s3, 'bucket-b', 'bucket-b'));
    print(`config A (${confA}): Milvus ${milvusA.address}, Milvus bucket bucket-a, backup bucket bucket-b`);
    print(`config B (${confB}): Milvus ${milvusB.address}, Milvus bucket bucket-b, backup bucket bucket-b`);

    // credentials through the environment, as the config loader recommends
    const env = { ...process.env, MINIO_ACCESS_KEY: s3.accessKey, MINIO_SECRET_KEY: s3.secretKey };
    const cli = async (argv: string[]) => {
      print(`\n$ milvus-backup ${argv.join(' ')}`);
      const code = await runCli(argv, { env, isTTY: false, out: (s) => print(`  ${s.replace(/\n/g, '\n  ')}`), err: (s) => print(`  ${s.replace(/\n/g, '\n  ')}`) });
      if (code !== 0) throw new Error(`milvus-backup ${argv.join(' ')} exited with ${code}`);
    };
    await cli(['--config', confA, 'create', '-c', 'coll', '-n', 'my_backup']);
    await cli(['--config', confB, 'restore', '-c', 'coll', '-n', 'my_backup', '-s', '_bak']);

    const src = await rowsOf(clientA, 'coll');
    const dst = await rowsOf(clientB, 'coll_bak');
    const sameRows = src.rows.length === dst.rows.length && src.rows.every((r, i) => r === dst.rows[i]);
    print('');
    print(`milvus_A coll:     ${src.count} rows (count(*))`);
    print(`milvus_B coll_bak: ${dst.count} rows (count(*))`);
    print(sameRows ? 'coll_bak holds the same rows as coll (every pk, title and vector compared)' : 'MISMATCH: coll_bak differs from coll');
    await o.beforeStop?.({ milvusA, milvusB, clientA, clientB });
    return { sourceRows: src.count, restoredRows: dst.count, sameRows };
  } finally {
    for (const c of clients) await c.closeConnection().catch(() => undefined);
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    print('servers stopped');
  }
}

if (require.main === module) {
  runDemo().then(
    (r) => {
      process.exitCode = r.sameRows && r.sourceRows === r.restoredRows ? 0 : 1;
    },
    (e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exitCode = 1;
    },
  );
}
