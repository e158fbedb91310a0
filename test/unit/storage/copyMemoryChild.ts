/**
 * Run by cephStore.test.ts in a fresh process, so the RSS baseline is not inflated by the parent's own
 * uploads: copies one object between two stores with copyBetween and prints
 * `{"baseMiB":…,"peakGrowthMiB":…,"bytes":…}`.
 * Args: host port accessKey secretKey srcBucket srcKey dstBucket dstKey size [partSizeMiB]
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { copyBetween } from '../../../src/core/storage';
import { MinioStore } from '../../../src/core/storage/minioStore';

async function main(): Promise<void> {
  const [host, port, accessKey, secretKey, srcBucket, srcKey, dstBucket, dstKey, size, partMiB] = process.argv.slice(2);
  const mk = () =>
    new MinioStore({
      provider: 'minio',
      endPoint: host!,
      port: Number(port),
      useSSL: false,
      accessKey: accessKey!,
      secretKey: secretKey!,
      putPartSizeMiB: partMiB ? Number(partMiB) : undefined,
    });
  const src = mk();
  const dst = mk();
  // warm up the code paths (module loading, TLS-free sockets, first allocations) before the baseline
  await src.stat(srcBucket!, srcKey!);
  await dst.bucketExists(dstBucket!);
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  let bytes = 0;
  try {
    await copyBetween(src, srcBucket!, srcKey!, dst, dstBucket!, dstKey!, { size: Number(size), onBytes: (d) => (bytes += d) });
  } finally {
    clearInterval(timer);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  await src.close();
  await dst.close();
  const MiB = 1024 * 1024;
  process.stdout.write(JSON.stringify({ baseMiB: base / MiB, peakGrowthMiB: (peak - base) / MiB, bytes }) + '\n');
}

main().catch((e) => {
  process.stderr.write(String(e?.stack ?? e) + '\n');
  process.exit(1);
});
