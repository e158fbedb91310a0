/**
 * Storage copy rates on the embedded S3 server (patched s3rver on tmpfs, in its own process as `npm run s3`
 * starts it): server-side copy (CopyObject) of 4 KiB objects at a few concurrencies, of 1 MiB objects, and
 * streaming copy (copyBetween: GET piped into PUT) of 1 MiB objects — objects/s and MiB/s through
 * MinioStore, i.e. with our retry, limiter and abort plumbing in the path.
 *
 * Run: node --import tsx bench/storage.bench.ts [--objects N]
 * Prints one line per figure and a final `RESULT {json}` line. Figures only; nothing is asserted.
 */
import { copyBetween } from '../src/core/storage';
import { mapLimit } from '../src/core/jobs/limit';
import { MinioStore } from '../src/core/storage/minioStore';
import { numberArg } from './args';
import { startS3Process, stopS3Process } from './s3Process';

const OBJECTS = numberArg('objects', 400);
const MiB = 1024 * 1024;

async function main(): Promise<void> {
  const srv = await startS3Process(['src-b', 'dst-b']);
  const store = new MinioStore({
    provider: 'minio',
    endPoint: srv.host,
    port: srv.port,
    useSSL: false,
    accessKey: srv.accessKey,
    secretKey: srv.secretKey,
    concurrency: { read: 256, write: 256, copy: 256 },
  });
  const results: Record<string, { objectsPerSec: number; mibPerSec: number }> = {};
  try {
    const seed = async (size: number, n: number, prefix: string) => {
      const body = Buffer.alloc(size, 7);
      await mapLimit(Array.from({ length: n }, (_, i) => i), 16, (i) => store.put('src-b', `${prefix}/${i}`, body, size));
    };
    const measure = async (label: string, size: number, n: number, concurrency: number, op: (i: number) => Promise<unknown>) => {
      const t0 = process.hrtime.bigint();
      await mapLimit(Array.from({ length: n }, (_, i) => i), concurrency, op);
      const s = Number(process.hrtime.bigint() - t0) / 1e9;
      const r = { objectsPerSec: Math.round(n / s), mibPerSec: Math.round(((n * size) / MiB / s) * 10) / 10 };
      results[label] = r;
      console.log(`${label.padEnd(44)} ${String(r.objectsPerSec).padStart(6)} objects/s ${String(r.mibPerSec).padStart(8)} MiB/s`);
    };

    await seed(4096, OBJECTS, 'small');
    for (const c of [1, 16, 64]) {
      await measure(`server-side copy 4 KiB, concurrency ${c}`, 4096, OBJECTS, c, (i) =>
        store.copyObject('src-b', `small/${i}`, 'dst-b', `small-c${c}/${i}`, { size: 4096 }),
      );
    }
    const big = Math.max(50, Math.floor(OBJECTS / 4));
    await seed(MiB, big, 'big');
    await measure('server-side copy 1 MiB, concurrency 16', MiB, big, 16, (i) =>
      store.copyObject('src-b', `big/${i}`, 'dst-b', `big-ss/${i}`, { size: MiB }),
    );
    for (const c of [4, 16]) {
      await measure(`streaming copy 1 MiB, concurrency ${c}`, MiB, big, c, (i) =>
        copyBetween(store, 'src-b', `big/${i}`, store, 'dst-b', `big-st${c}/${i}`, { size: MiB }),
      );
    }
  } finally {
    await store.close();
    await stopS3Process(srv.child);
  }
  console.log(`RESULT ${JSON.stringify({ objects: OBJECTS, results })}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
