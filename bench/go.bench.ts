/**
 * Our CLI against the real Go milvus-backup (v0.5.16, test/servers/goBackup.ts) on the same collection, the
 * same Milvus test servers (two test/milvus-sim instances: A holds the collection, B receives restores), the
 * same S3 server (Ceph RGW, test/servers/ceph.ts: CopyObject stays inside the service, as on a production S3)
 * and the same backup.yaml (so the same `backup.parallelism` settings). Both run as their own process: the Go
 * binary, and our bundled CLI (`node dist/cli.js`, built here first), so both pay their own start-up.
 *
 * The collection: SEGMENTS sealed segments in two partitions (the sim seals at `maxRowsPerSegment` rows), every
 * other flush cut short so segments hold 40–ROWS rows, with a 256-d float vector (binlogs of 40–200 KiB),
 * an int64 pk and a VarChar (binlogs of a few hundred bytes): mixed binlog sizes.
 *
 * The machine is shared and noisy, so the figure is a ratio: each round runs both tools one after the other,
 * alternating which goes first; the ratio is the median over rounds of ours ÷ Go's wall time.
 *
 * Run: node --import tsx bench/go.bench.ts [--segments N] [--rounds R] [--trace]
 * Prints one line per figure and a final `RESULT {json}` line. Reports numbers, never asserts.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, MilvusClient } from '@zilliz/milvus2-sdk-node';
import { startMilvusSim, type MilvusSimHandle } from '../test/milvus-sim/index';
import { startCeph } from '../test/servers/ceph';
import { testServerYaml } from '../test/servers/backupYaml';
import { ensureGoBackup } from '../test/servers/goBackup';
import { numberArg } from './args';
import { median } from './stats';

const SEGMENTS = numberArg('segments', 520);
const ROUNDS = numberArg('rounds', 3);
const ROWS = 200;
const DIM = 256;
const ROOT = join(__dirname, '..');

interface Timed { ms: number; code: number | null; tail: string }

function runTimed(cmd: string, args: string[], cwd: string): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    // --trace: every output line with the ms since the process started, to see where a run spends its time
    const trace = process.argv.includes('--trace');
    const take = (d: string) => {
      out = (out + d).slice(-4000);
      if (trace) for (const l of d.split('\n').filter(Boolean)) console.log(`  [${cmd.endsWith('node') ? 'ours' : 'go'} ${(performance.now() - t).toFixed(0)} ms] ${l.slice(0, 200)}`);
    };
    child.stdout.setEncoding('utf8').on('data', take);
    child.stderr.setEncoding('utf8').on('data', take);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10 * 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ ms: performance.now() - t, code, tail: out.trim().split('\n').slice(-3).join(' | ') });
    });
  });
}

/** Fills `coll` on A: SEGMENTS sealed segments over two partitions, row counts 40..ROWS. */
async function fill(client: MilvusClient): Promise<number> {
  await client.createCollection({
    collection_name: 'bench',
    fields: [
      { name: 'pk', data_type: DataType.Int64, is_primary_key: true },
      { name: 'tag', data_type: DataType.VarChar, max_length: 32 },
      { name: 'vec', data_type: DataType.FloatVector, dim: DIM },
    ],
  });
  await client.createPartition({ collection_name: 'bench', partition_name: 'p1' });
  let pk = 0;
  let rows = 0;
  const vec = (i: number) => Array.from({ length: DIM }, (_, d) => ((i * 31 + d) % 97) / 97);
  // Full segments in bulk (the sim seals every ROWS rows), then a tail of short flushes for the mixed sizes.
  const full = Math.floor(SEGMENTS * 0.8);
  for (const [partition, n] of [['_default', Math.ceil(full / 2)], ['p1', Math.floor(full / 2)]] as const) {
    for (let s = 0; s < n; s += 10) {
      const count = Math.min(10, n - s) * ROWS;
      const data = Array.from({ length: count }, () => ({ pk: pk++, tag: `t${pk % 13}`, vec: vec(pk) }));
      await client.insert({ collection_name: 'bench', partition_name: partition, data });
      rows += count;
    }
  }
  await client.flushSync({ collection_names: ['bench'] });
  for (let s = full; s < SEGMENTS; s++) {
    const count = 40 + ((s * 37) % (ROWS - 40));
    const data = Array.from({ length: count }, () => ({ pk: pk++, tag: `t${pk % 13}`, vec: vec(pk) }));
    await client.insert({ collection_name: 'bench', partition_name: s % 2 ? 'p1' : '_default', data });
    rows += count;
    await client.flushSync({ collection_names: ['bench'] });
  }
  return rows;
}

async function main(): Promise<void> {
  const build = spawnSync(process.execPath, ['esbuild.js'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('esbuild failed');
  const goBin = await ensureGoBackup();
  const dir = await mkdtemp(join(tmpdir(), 'go-bench-'));
  const ceph = await startCeph({ buckets: ['bucket-a', 'bucket-b'] });
  const sims: MilvusSimHandle[] = [];
  let client: MilvusClient | undefined;
  try {
    const s3 = { endpoint: `${ceph.host}:${ceph.port}`, accessKey: ceph.accessKey, secretKey: ceph.secretKey };
    const sim = (name: string, bucket: string) =>
      startMilvusSim({ version: 'v2.5.14', dataDir: join(dir, name), s3, bucket, rootPath: 'files', dataPlaneOptions: { maxRowsPerSegment: ROWS, importStepMs: 20 } });
    const a = await sim('a', 'bucket-a');
    sims.push(a);
    const b = await sim('b', 'bucket-b');
    sims.push(b);
    client = new MilvusClient({ address: a.address, logLevel: 'error', timeout: 600_000 });
    const t0 = performance.now();
    const rows = await fill(client);
    const segs = (await client.getPersistentSegmentInfo({ collectionName: 'bench' })).infos.length;
    console.log(`setup: ${segs} sealed segments, ${rows} rows, in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    // one file per side, identical but for the Milvus it points at; parallelism written out so both read it
    const yaml = (m: MilvusSimHandle, bucket: string) => testServerYaml({
      milvusAddress: m.address, s3Endpoint: s3.endpoint, milvusBucket: bucket, backupBucket: 'bucket-b',
      credentials: { accessKey: ceph.accessKey, secretKey: ceph.secretKey },
      extra: ['backup:', '  gcPause:', '    enable: false', '  parallelism:', '    copydata: 128', '    backupCollection: 4', '    restoreCollection: 2'],
    });
    const aYaml = join(dir, 'a.yaml');
    const bYaml = join(dir, 'b.yaml');
    await writeFile(aYaml, yaml(a, 'bucket-a'));
    await writeFile(bYaml, yaml(b, 'bucket-b'));
    const ours = (args: string[]) => runTimed(process.execPath, [join(ROOT, 'dist/cli.js'), ...args], dir);
    const go = (args: string[]) => runTimed(goBin, args, dir);

    const sides = { ours, go } as const;
    const create: Record<'ours' | 'go', number[]> = { ours: [], go: [] };
    const restore: Record<'ours' | 'go', number[]> = { ours: [], go: [] };
    const errors: string[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 ? (['go', 'ours'] as const) : (['ours', 'go'] as const);
      for (const side of order) {
        const res = await sides[side](['--config', aYaml, 'create', '-n', `${side}_${r}`, '-c', 'bench']);
        if (res.code !== 0) errors.push(`${side} create: exit ${res.code}: ${res.tail}`);
        else create[side].push(res.ms);
      }
    }
    // Restore into B: both restore the same backup (the Go tool's, so both read the format they share).
    const source = create.go.length ? 'go_0' : 'ours_0';
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 ? (['go', 'ours'] as const) : (['ours', 'go'] as const);
      for (const side of order) {
        const res = await sides[side](['--config', bYaml, 'restore', '-n', source, '-s', `_${side}${r}`]);
        if (res.code !== 0) errors.push(`${side} restore: exit ${res.code}: ${res.tail}`);
        else restore[side].push(res.ms);
      }
    }
    const fig = (xs: Record<'ours' | 'go', number[]>) => {
      const n = Math.min(xs.ours.length, xs.go.length);
      if (n === 0) return null;
      const ratios = Array.from({ length: n }, (_, i) => xs.ours[i]! / xs.go[i]!);
      return { ratio: Number(median(ratios).toFixed(2)), oursS: Number((median(xs.ours) / 1000).toFixed(2)), goS: Number((median(xs.go) / 1000).toFixed(2)), rounds: n };
    };
    const result = { segments: segs, rows, create: fig(create), restore: fig(restore), errors: errors.slice(0, 6) };
    for (const e of result.errors) console.log(`error: ${e}`);
    for (const k of ['create', 'restore'] as const) {
      const f = result[k];
      console.log(f ? `${k} ${segs} segments: ours ${f.oursS} s, Go ${f.goS} s (medians of ${f.rounds}); ours/Go ${f.ratio}` : `${k}: no successful pair`);
    }
    console.log(`RESULT ${JSON.stringify(result)}`);
  } finally {
    await client?.closeConnection().catch(() => undefined);
    for (const s of sims) await s.stop().catch(() => undefined);
    await ceph.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
