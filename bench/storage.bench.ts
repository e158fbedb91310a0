/**
 * Streaming copy between two S3 servers (two embedded s3rver processes, as `npm run s3` starts them): our
 * copyBetween through MinioStore (retry, limiter, abort and byte counting in the path) beside a raw loop of
 * minio-js getObject piped into putObject, same objects, same concurrency. Each round runs both, alternating
 * which goes first; the figure is the median over rounds of raw time ÷ ours. Then the RSS growth of this
 * process while copyBetween streams one large object (1 GiB; 256 MiB with --quick), sampled every 20 ms.
 *
 * Run: node --import tsx bench/storage.bench.ts [--objects N] [--rounds R] [--big-mib M]
 * Prints one line per figure and a final `RESULT {json}` line. Figures only; nothing is asserted.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'minio';
import { copyBetween } from '../src/core/storage';
import { mapLimit } from '../src/core/jobs/limit';
import { MinioStore } from '../src/core/storage/minioStore';
import { numberArg } from './args';
import { startS3Process, stopS3Process, type S3Process } from './s3Process';
import { median } from './stats';

const OBJECTS = numberArg('objects', 100);
const ROUNDS = numberArg('rounds', 3);
const BIG_MIB = numberArg('big-mib', 1024);
const CONCURRENCY = 16;
const MiB = 1024 * 1024;

const storeOf = (s: S3Process) =>
  new MinioStore({ provider: 'minio', endPoint: s.host, port: s.port, useSSL: false, accessKey: s.accessKey, secretKey: s.secretKey, concurrency: { read: 256, write: 256, copy: 256 } });
const clientOf = (s: S3Process) => new Client({ endPoint: s.host, port: s.port, useSSL: false, accessKey: s.accessKey, secretKey: s.secretKey });

/** Puts `src-b/big` through MinioStore (minio-js's own multipart asks s3rver for ListMultipartUploads, which it lacks) (argv: host port accessKey secretKey MiB) from a stream made 1 MiB at a time. */
const UPLOAD = `
const { MinioStore } = require('./src/core/storage/minioStore.ts'); const { Readable } = require('node:stream');
const [host, port, accessKey, secretKey, mib] = process.argv.slice(1);
const chunk = Buffer.alloc(1048576, 7); let left = Number(mib);
const body = new Readable({ read() { if (left-- <= 0) this.push(null); else this.push(chunk); } });
const store = new MinioStore({ provider: 'minio', endPoint: host, port: Number(port), useSSL: false, accessKey, secretKey, concurrency: { read: 4, write: 4, copy: 4 } });
store.put('src-b', 'big', body, Number(mib) * 1048576).then(() => store.close(), (e) => { console.error(e); process.exit(1); });
`;

async function main(): Promise<void> {
  const [a, b] = await Promise.all([startS3Process(['src-b']), startS3Process(['dst-b'])]);
  const src = storeOf(a);
  const dst = storeOf(b);
  const rawSrc = clientOf(a);
  const rawDst = clientOf(b);
  try {
    const body = Buffer.alloc(MiB, 7);
    await mapLimit(Array.from({ length: OBJECTS }, (_, i) => i), 16, (i) => src.put('src-b', `obj/${i}`, body, MiB));
    const timed = async (fn: () => Promise<unknown>) => {
      const t = performance.now();
      await fn();
      return performance.now() - t;
    };
    const ids = Array.from({ length: OBJECTS }, (_, i) => i);
    const ours = (r: number) => timed(() => mapLimit(ids, CONCURRENCY, (i) => copyBetween(src, 'src-b', `obj/${i}`, dst, 'dst-b', `ours-${r}/${i}`, { size: MiB })));
    const raw = (r: number) => timed(() => mapLimit(ids, CONCURRENCY, async (i) => {
      const s = await rawSrc.getObject('src-b', `obj/${i}`);
      await rawDst.putObject('dst-b', `raw-${r}/${i}`, s, MiB);
    }));
    const pairs: Array<{ ours: number; raw: number }> = [];
    for (let r = 0; r < ROUNDS; r++) {
      if (r % 2 === 0) {
        const o = await ours(r);
        pairs.push({ ours: o, raw: await raw(r) });
      } else {
        const w = await raw(r);
        pairs.push({ raw: w, ours: await ours(r) });
      }
    }
    const ratio = median(pairs.map((p) => p.raw / p.ours));
    const mibps = (ms: number) => Number((OBJECTS / (ms / 1000)).toFixed(1));
    const streaming = { objects: OBJECTS, concurrency: CONCURRENCY, oursMiBps: mibps(median(pairs.map((p) => p.ours))), rawMiBps: mibps(median(pairs.map((p) => p.raw))), ratio: Number(ratio.toFixed(2)) };
    console.log(`streaming copy ${OBJECTS} × 1 MiB, concurrency ${CONCURRENCY}: ours ${streaming.oursMiBps} MiB/s, raw GET→PUT ${streaming.rawMiBps} MiB/s (medians of ${ROUNDS}); ours/raw ${streaming.ratio}`);

    // uploaded by a child process: an upload here would raise this process's RSS and hide the copy's growth
    const up = spawnSync(process.execPath, ['--import', 'tsx', '-e', UPLOAD, a.host, String(a.port), a.accessKey, a.secretKey, String(BIG_MIB)], { cwd: join(__dirname, '..'), encoding: 'utf8' });
    if (up.status !== 0) throw new Error(`upload of the big object failed: ${up.stderr}`);
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const ms = await timed(() => copyBetween(src, 'src-b', 'big', dst, 'dst-b', 'big', { size: BIG_MIB * MiB }));
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const big = { mib: BIG_MIB, rssGrowthMiB: Number(((peak - before) / MiB).toFixed(1)), miBps: Number((BIG_MIB / (ms / 1000)).toFixed(1)) };
    console.log(`streaming one ${BIG_MIB} MiB object: RSS growth ${big.rssGrowthMiB} MiB, ${big.miBps} MiB/s`);
    console.log(`RESULT ${JSON.stringify({ streaming, big })}`);
  } finally {
    await src.close();
    await dst.close();
    await Promise.all([stopS3Process(a.child), stopS3Process(b.child)]);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
