/**
 * The backup copy path against the S3 server's own limit: the engine's create (segment discovery by listing,
 * copy, verification, meta) over a synthetic collection laid out exactly as Milvus stores binlogs, beside a
 * bare CopyObject loop over the same objects at the same concurrency (`transfer.concurrency`), on Ceph RGW
 * (test/servers/ceph.ts; a CopyObject stays inside the service) or with --s3rver on the embedded server.
 * Milvus itself is the in-process fake gateway of the unit tests, so the figures are the tool's and the S3
 * server's alone.
 *
 * Two shapes: 500 segments × 4 binlogs × 4 KiB (2000 small objects) and 50 segments × 4 binlogs × 1 MiB
 * (200 large). Each round runs the bare loop and the engine one after the other, alternating which goes first;
 * every figure is the median over rounds of a ratio inside one round (the machine is shared and noisy):
 *  - copy ratio = bare-loop time ÷ the engine's `copy` phase time (objects/s ours ÷ objects/s bare);
 *  - end-to-end ratio = the whole create ÷ its `copy` phase (small shape: 500 segments).
 *
 * Run: node --import tsx bench/backup.bench.ts [--rounds R] [--s3rver] [--phases]
 * Prints one line per figure and a final `RESULT {json}` line. Reports numbers, never asserts.
 */
import { createBackup } from '../src/core/backup';
import { loadConfigOrThrow, type ResolvedConfig } from '../src/core/config';
import { mapLimit } from '../src/core/jobs/limit';
import { createObjectStore, type ObjectStore } from '../src/core/storage';
import { FakeMilvus, type FakeSegment } from '../test/unit/backup/fakeMilvus';
import { startS3Process, stopS3Process } from './s3Process';
import { numberArg } from './args';
import { median } from './stats';

const ROUNDS = numberArg('rounds', 3);
const KiB = 1024;

/** `segs` segments of 4 fields, one binlog of `size` bytes each. */
function segments(segs: number, size: number, firstLog: bigint): FakeSegment[] {
  let log = firstLog;
  return Array.from({ length: segs }, (_, i) => ({
    id: 449900000000001000n + BigInt(i), partitionId: 449900000000000002n, level: 'L1' as const, rows: 1000,
    insert: Object.fromEntries(['0', '1', '100', '101'].map((f) => [f, [[log++, size]] as Array<[bigint, number]>])),
    delta: [],
  }));
}

async function startServer(): Promise<{ host: string; port: number; accessKey: string; secretKey: string; stop(): Promise<void>; kind: string }> {
  if (!process.argv.includes('--s3rver')) {
    const { startCeph } = await import('../test/servers/ceph.js');
    const c = await startCeph({ buckets: ['bucket-a', 'bucket-b'] });
    return { host: c.host, port: c.port, accessKey: c.accessKey, secretKey: c.secretKey, stop: () => c.stop(), kind: 'Ceph RGW' };
  }
  const p = await startS3Process(['bucket-a', 'bucket-b']);
  return { ...p, stop: () => stopS3Process(p.child), kind: 's3rver' };
}

function yaml(s3: { host: string; port: number; accessKey: string; secretKey: string }, root: string): string {
  return [
    'configVersion: v2', 'milvus:', '  storage:', '    type: minio', `    address: ${s3.host}`, `    port: ${s3.port}`,
    '    bucketName: bucket-a', `    rootPath: ${root}`, '    auth:', `      accessKeyID: ${s3.accessKey}`, `      secretAccessKey: ${s3.secretKey}`,
    'backup:', '  storage:', '    bucketName: bucket-b', '    rootPath: backup', '',
  ].join('\n');
}

interface ShapeResult { objects: number; mib: number; copyRatio: number; endToEndRatio: number; bareMs: number; copyMs: number; createMs: number; phases: Record<string, number> }

async function shape(s3: Awaited<ReturnType<typeof startServer>>, label: string, segs: number, size: number): Promise<ShapeResult> {
  const root = `files-${label}`;
  const base: ResolvedConfig = loadConfigOrThrow({ text: yaml(s3, root), file: 'backup.yaml', env: {} }).config;
  base.backup.pauseGC = false;
  const concurrency = base.transfer.concurrency;
  const store: ObjectStore = createObjectStore(base.milvus.storage, { multipartCopyThresholdMiB: base.transfer.multipartCopyThresholdMiB });
  try {
    const gw = new FakeMilvus('v2.5.4', store, 'bucket-a', root, ['default'], [
      { db: 'default', name: 'bench', id: 449900000000000001n, partitions: [{ id: 449900000000000002n, name: '_default' }], segments: segments(segs, size, 1000n) },
    ]);
    await gw.materialize();
    const keys: Array<[string, number]> = [];
    for await (const e of store.list('bucket-a', `${root}/`, { recursive: true })) if (e.type === 'object') keys.push([e.key, e.size]);
    const mib = keys.reduce((n, [, s]) => n + s, 0) / 1048576;
    const bare = async (r: number) => {
      const t = performance.now();
      await mapLimit(keys, concurrency, ([k, sz], i) => store.copyObject('bucket-a', k, 'bucket-b', `bare-${label}-${r}/${i}`, { size: sz }));
      return performance.now() - t;
    };
    const engine = async (r: number) => {
      const cfg = structuredClone(base);
      const marks: Array<[string, number]> = [];
      const t = performance.now();
      const s = await createBackup({
        config: cfg, name: `bench_${label}_${r}`, strategy: 'skip_flush', gateway: gw, stores: { milvus: store, backup: store },
        onProgress: (e) => {
          if (e.kind === 'phase') marks.push([e.phase, performance.now()]);
          if (e.kind === 'log' && process.argv.includes('--phases')) console.log(`  ${e.message}`);
        },
      });
      const end = performance.now();
      if (s.objects !== keys.length) throw new Error(`${label}: copied ${s.objects}/${keys.length}`);
      const phases: Record<string, number> = {};
      marks.forEach(([p, at], i) => (phases[p] = (phases[p] ?? 0) + ((marks[i + 1]?.[1] ?? end) - at)));
      return { total: end - t, copy: phases['copy'] ?? NaN, phases };
    };
    const rounds: Array<{ bare: number; total: number; copy: number; phases: Record<string, number> }> = [];
    for (let r = 0; r < ROUNDS; r++) {
      if (r % 2 === 0) {
        const b = await bare(r);
        rounds.push({ bare: b, ...(await engine(r)) });
      } else {
        const e = await engine(r);
        rounds.push({ bare: await bare(r), ...e });
      }
      const x = rounds[r]!;
      if (process.argv.includes('--phases')) console.log(`  ${label} round ${r}: ${Object.entries(x.phases).map(([p, ms]) => `${p} ${ms.toFixed(0)}`).join(', ')} ms`);
    }
    const phaseNames = Object.keys(rounds[0]!.phases);
    const out: ShapeResult = {
      objects: keys.length,
      mib: Number(mib.toFixed(1)),
      copyRatio: Number(median(rounds.map((x) => x.bare / x.copy)).toFixed(2)),
      endToEndRatio: Number(median(rounds.map((x) => x.total / x.copy)).toFixed(2)),
      bareMs: Math.round(median(rounds.map((x) => x.bare))),
      copyMs: Math.round(median(rounds.map((x) => x.copy))),
      createMs: Math.round(median(rounds.map((x) => x.total))),
      phases: Object.fromEntries(phaseNames.map((p) => [p, Math.round(median(rounds.map((x) => x.phases[p] ?? 0)))])),
    };
    console.log(
      `${s3.kind} ${label} (${out.objects} objects, ${out.mib} MiB, concurrency ${concurrency}): bare CopyObject ${out.bareMs} ms, ` +
        `engine copy phase ${out.copyMs} ms, whole create ${out.createMs} ms (medians of ${ROUNDS}); bare/copy ${out.copyRatio}, create/copy ${out.endToEndRatio}`,
    );
    console.log(`  phases (median ms): ${Object.entries(out.phases).map(([p, ms]) => `${p} ${ms}`).join(', ')}`);
    return out;
  } finally {
    await store.close();
  }
}

async function main() {
  const s3 = await startServer();
  try {
    const small = await shape(s3, '4kib', 500, 4 * KiB);
    const large = await shape(s3, '1mib', 50, 1024 * KiB);
    const result = {
      bench: 'backup', server: s3.kind, small, large,
      copyServerSideRatio: Math.min(small.copyRatio, large.copyRatio),
      endToEndRatio: small.endToEndRatio,
    };
    console.log(`RESULT ${JSON.stringify(result)}`);
  } finally {
    await s3.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
