/**
 * Run by crossProvider.test.ts in a fresh process (so the RSS baseline is not the parent's high-water mark):
 * streams one object from S3 into Azure Blob or GCS with copyBetween and prints
 * `{"baseMiB":…,"peakGrowthMiB":…,"bytes":…}`. Arg: one JSON object (see `Job`).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { copyBetween, type ObjectStore } from '../../../src/core/storage';
import { AzureStore } from '../../../src/core/storage/azureStore';
import { GcsStore } from '../../../src/core/storage/gcsStore';
import { MinioStore } from '../../../src/core/storage/minioStore';

export interface Job {
  s3: { host: string; port: number; accessKey: string; secretKey: string };
  dst: { kind: 'azure'; serviceUrl: string; account: string; key: string } | { kind: 'gcs'; url: string };
  srcBucket: string;
  srcKey: string;
  dstBucket: string;
  dstKey: string;
  size: number;
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2]!) as Job;
  const src = new MinioStore({ provider: 'minio', endPoint: job.s3.host, port: job.s3.port, useSSL: false, accessKey: job.s3.accessKey, secretKey: job.s3.secretKey });
  const dst: ObjectStore =
    job.dst.kind === 'azure'
      ? new AzureStore({ serviceUrl: job.dst.serviceUrl, accountName: job.dst.account, accountKey: job.dst.key })
      : new GcsStore({ apiEndpoint: job.dst.url });
  // warm up (module and SDK loading, first sockets) before the baseline
  await src.stat(job.srcBucket, job.srcKey);
  await dst.bucketExists(job.dstBucket);
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  let bytes = 0;
  try {
    await copyBetween(src, job.srcBucket, job.srcKey, dst, job.dstBucket, job.dstKey, { size: job.size, onBytes: (d) => (bytes += d) });
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
