/**
 * Catalog listing speed: 1000 backups on the embedded S3 server (s3rver, in its own process as `npm run s3`
 * starts it, so server and client do not share one event loop), listed the way `milvus-backup list`
 * does it (one delimiter listing of the root + parallel meta reads), in summary and full-tree mode, and — for
 * the ratio — with the meta reads one at a time as the Go tool does.
 *
 * Also the meta codec's speed on one large full_meta.json.
 *
 * Run: node --import tsx bench/catalog.bench.ts [--backups N] [--runs R] [--segments S]
 * Prints one line per figure and a final `RESULT {json}` line.
 */
import { listBackups, writeBackupMeta } from '../src/core/catalog';
import { mapLimit } from '../src/core/jobs/limit';
import {
  newBackupInfo, newCollectionBackupInfo, newPartitionBackupInfo, newSegmentBackupInfo, newFieldBinlog, newBinlog,
  parseBackupInfo, stringifyBackupInfo,
} from '../src/core/meta';
import { createObjectStore } from '../src/core/storage';
import { startS3Process, stopS3Process } from './s3Process';
import { numberArg } from './args';
import { median } from './stats';


const BACKUPS = numberArg('backups', 1000);
const RUNS = numberArg('runs', 3);
const CODEC_SEGMENTS = numberArg('segments', 20000);

/** CPU milliseconds (user + system) and wall milliseconds of `fn`. */
function measure<T>(fn: () => T): { value: T; wallMs: number; cpuMs: number } {
  const t = performance.now();
  const c = process.cpuUsage();
  const value = fn();
  const used = process.cpuUsage(c);
  return { value, wallMs: performance.now() - t, cpuMs: (used.user + used.system) / 1000 };
}

/**
 * The meta codec on one big full_meta.json (one collection, CODEC_SEGMENTS segments of 3 insert logs each):
 * what `get` and restore pay to read a large backup, and backup to write it. CPU time is reported beside wall
 * time because the machine the figures come from is shared.
 */
function codecFigures() {
  const base = 449834567890000000n;
  const segs = Array.from({ length: CODEC_SEGMENTS }, (_, i) => newSegmentBackupInfo({
    segmentId: base + BigInt(i), collectionId: base, partitionId: base + 1n, numOfRows: 100000n, size: 123456n, groupId: base + BigInt(i),
    binlogs: [100n, 101n, 102n].map((f) => newFieldBinlog({ fieldID: f, binlogs: [newBinlog({
      logPath: `files/insert_log/${base}/${base + 1n}/${base + BigInt(i)}/${f}/${base + 7n}`, logSize: 41152n, logId: base + 7n,
    })] })),
  }));
  const info = newBackupInfo({ name: 'big', collectionBackups: [newCollectionBackupInfo({ collectionId: base, partitionBackups: [
    newPartitionBackupInfo({ partitionId: base + 1n, collectionId: base, segmentBackups: segs }),
  ] })] });
  const w = measure(() => stringifyBackupInfo(info));
  const mb = Buffer.byteLength(w.value) / 1e6;
  const r = measure(() => parseBackupInfo(w.value));
  if (r.value.collectionBackups[0].partitionBackups[0].segmentBackups.length !== CODEC_SEGMENTS) throw new Error('codec round trip lost segments');
  const fig = (m: { wallMs: number; cpuMs: number }) => ({ wallMs: Math.round(m.wallMs), cpuMs: Math.round(m.cpuMs), mbPerCpuSecond: Number((mb / (m.cpuMs / 1000)).toFixed(1)) });
  const out = { segments: CODEC_SEGMENTS, mb: Number(mb.toFixed(1)), write: fig(w), read: fig(r) };
  console.log(`codec: full_meta.json of ${CODEC_SEGMENTS} segments = ${out.mb} MB; write ${out.write.wallMs} ms (cpu ${out.write.cpuMs} ms, ${out.write.mbPerCpuSecond} MB/cpu-s); read ${out.read.wallMs} ms (cpu ${out.read.cpuMs} ms, ${out.read.mbPerCpuSecond} MB/cpu-s)`);
  return out;
}

/** A small but realistic backup: one collection, two partitions, four segments with ids > 2^53. */
function sampleInfo(i: number) {
  const base = 449834567890000000n + BigInt(i) * 1000n;
  const seg = (k: bigint, part: bigint) => newSegmentBackupInfo({
    segmentId: base + k, collectionId: base, partitionId: part, numOfRows: 1000n, size: 4096n, groupId: base + k,
    binlogs: [newFieldBinlog({ fieldID: 100n, binlogs: [newBinlog({ logPath: `files/insert_log/${base}/${part}/${base + k}/100/1`, logSize: 4096n, logId: base + k + 500n })] })],
  });
  return newBackupInfo({
    id: `task-${i}`, name: `backup_${String(i).padStart(5, '0')}`, size: 16384n, milvusVersion: 'v2.5.4',
    collectionBackups: [newCollectionBackupInfo({
      collectionId: base, dbName: 'default', collectionName: `c${i}`, size: 16384n, backupTimestamp: base * 2n,
      partitionBackups: [1n, 2n].map((p) => newPartitionBackupInfo({
        partitionId: base + p, collectionId: base, partitionName: `p${p}`, size: 8192n,
        segmentBackups: [seg(10n * p, base + p), seg(10n * p + 1n, base + p)],
      })),
    })],
  });
}


async function main() {
  const codec = codecFigures();
  const s3 = await startS3Process(['bench']);
  const store = createObjectStore({
    provider: 'minio', address: s3.host, port: s3.port, region: '', useSSL: false, accountName: '',
    bucketName: 'bench', rootPath: 'backup', localPath: '',
    auth: { type: 'static', accessKeyID: s3.accessKey, secretAccessKey: s3.secretKey, sessionToken: '', accountKey: '', credentialsFile: '', endpoint: '' },
  });
  const loc = { store, bucket: 'bench', rootPath: 'backup' };
  try {
    const t0 = performance.now();
    await mapLimit(Array.from({ length: BACKUPS }, (_, i) => i), 32, (i) =>
      writeBackupMeta(store, 'bench', `backup/${sampleInfo(i).name}/`, sampleInfo(i)));
    console.log(`setup: wrote ${BACKUPS} backups (5 meta files each) in ${(performance.now() - t0).toFixed(0)} ms`);

    const figures: Record<string, { ms: number; perSecond: number; clientCpuMs: number }> = {};
    const modes = [
      ['summary, 32 parallel', { detail: 'summary' as const }],
      ['full tree, 32 parallel', { detail: 'full' as const }],
      ['summary, sequential (Go-style)', { detail: 'summary' as const, concurrency: 1 }],
    ] as const;
    const times: Record<string, number[]> = {};
    const cpu: Record<string, number[]> = {};
    // rounds alternate the order of the modes, so a busy spell on the shared machine does not fall on one alone
    for (let r = 0; r < RUNS; r++) {
      const order = r % 2 ? [...modes].reverse() : modes;
      for (const [label, opts] of order) {
        const t = performance.now();
        const c = process.cpuUsage();
        const list = await listBackups(loc, opts);
        (times[label] ??= []).push(performance.now() - t);
        const used = process.cpuUsage(c);
        (cpu[label] ??= []).push((used.user + used.system) / 1000);
        if (list.length !== BACKUPS || list.some((e) => e.incomplete)) throw new Error(`${label}: listed ${list.length}`);
      }
    }
    const seqVsPar = Array.from({ length: RUNS }, (_, r) => times['summary, sequential (Go-style)']![r]! / times['summary, 32 parallel']![r]!);
    for (const [label] of modes) {
      const ms = median(times[label]!);
      figures[label] = { ms: Math.round(ms), perSecond: Math.round((BACKUPS / ms) * 1000), clientCpuMs: Math.round(median(cpu[label]!)) };
      console.log(
        `list ${BACKUPS} backups, ${label}: ${ms.toFixed(0)} ms (median of ${RUNS}), ${figures[label].perSecond} backups/s, ` +
          `client CPU ${figures[label].clientCpuMs} ms`,
      );
    }
    const ratio = median(seqVsPar);
    console.log(`parallel vs sequential: ${ratio.toFixed(2)}x (the server is one single-threaded process: once it is busy, parallel requests only queue)`);
    console.log(`RESULT ${JSON.stringify({ bench: 'catalog', backups: BACKUPS, figures, parallelSpeedup: Number(ratio.toFixed(2)), codec })}`);
  } finally {
    await store.close();
    await stopS3Process(s3.child);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
