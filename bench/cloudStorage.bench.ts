/**
 * Azure Blob and GCS copy rates on their emulators (Azurite 3.37 in memory, fake-gcs-server in memory):
 * server-side copy of 4 KiB objects (Azure: Copy Blob From URL with a signed source; GCS: rewrite) at a few
 * concurrencies, and streaming copy of 1 MiB objects from the embedded S3 server into each (the cross-provider
 * backup's path) — objects/s and MiB/s through AzureStore / GcsStore with our retry, limiter and abort plumbing.
 * Emulator figures: they say what our client costs and how it scales, not what the cloud services do.
 *
 * Run: node --import tsx bench/cloudStorage.bench.ts [--objects N]
 * Prints one line per figure and a final `RESULT {json}` line. Figures only; nothing is asserted.
 */
import { copyBetween, type ObjectStore } from '../src/core/storage';
import { mapLimit } from '../src/core/jobs/limit';
import { AzureStore, azureServiceUrl } from '../src/core/storage/azureStore';
import { GcsStore } from '../src/core/storage/gcsStore';
import { MinioStore } from '../src/core/storage/minioStore';
import { startAzurite } from '../test/servers/azurite';
import { startFakeGcs } from '../test/servers/fakeGcs';
import { numberArg } from './args';
import { startS3Process, stopS3Process } from './s3Process';

const OBJECTS = numberArg('objects', 300);
const MiB = 1024 * 1024;

async function main(): Promise<void> {
  const [srv, az, gcs] = await Promise.all([startS3Process(['src-b']), startAzurite({ containers: ['src-b', 'dst-b'] }), startFakeGcs({ buckets: ['src-b', 'dst-b'] })]);
  const s3 = new MinioStore({ provider: 'minio', endPoint: srv.host, port: srv.port, useSSL: false, accessKey: srv.accessKey, secretKey: srv.secretKey });
  const stores: Array<[string, ObjectStore]> = [
    ['azure', new AzureStore({ serviceUrl: azureServiceUrl('127.0.0.1', az.port, false, az.account), accountName: az.account, accountKey: az.accountKey })],
    ['gcs', new GcsStore({ apiEndpoint: gcs.url })],
  ];
  const results: Record<string, { objectsPerSec: number; mibPerSec: number }> = {};
  const measure = async (label: string, size: number, n: number, concurrency: number, op: (i: number) => Promise<unknown>) => {
    const t0 = process.hrtime.bigint();
    await mapLimit(Array.from({ length: n }, (_, i) => i), concurrency, op);
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    const r = { objectsPerSec: Math.round(n / s), mibPerSec: Math.round(((n * size) / MiB / s) * 10) / 10 };
    results[label] = r;
    console.log(`${label.padEnd(48)} ${String(r.objectsPerSec).padStart(6)} objects/s ${String(r.mibPerSec).padStart(8)} MiB/s`);
  };
  try {
    const small = Buffer.alloc(4096, 7);
    const big = Buffer.alloc(MiB, 9);
    const nBig = Math.max(40, Math.floor(OBJECTS / 4));
    await mapLimit(Array.from({ length: nBig }, (_, i) => i), 16, (i) => s3.put('src-b', `big/${i}`, big, MiB));
    for (const [name, store] of stores) {
      await mapLimit(Array.from({ length: OBJECTS }, (_, i) => i), 16, (i) => store.put('src-b', `small/${i}`, small, 4096));
      for (const c of [1, 16]) {
        await measure(`${name}: server-side copy 4 KiB, concurrency ${c}`, 4096, OBJECTS, c, (i) =>
          store.copyObject('src-b', `small/${i}`, 'dst-b', `small-c${c}/${i}`, { size: 4096 }),
        );
      }
      await measure(`${name}: streaming S3 → ${name} 1 MiB, concurrency 16`, MiB, nBig, 16, (i) =>
        copyBetween(s3, 'src-b', `big/${i}`, store, 'dst-b', `from-s3/${i}`, { size: MiB }),
      );
    }
  } finally {
    for (const [, s] of stores) await s.close();
    await s3.close();
    await Promise.all([stopS3Process(srv.child), az.stop(), gcs.stop()]);
  }
  console.log(`RESULT ${JSON.stringify({ objects: OBJECTS, results })}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
