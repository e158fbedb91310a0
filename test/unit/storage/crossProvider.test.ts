/**
 * The cross-provider path of a backup whose Milvus is on S3 and whose backups go to Azure Blob or GCS: a
 * 200 MiB object streamed S3 → cloud through copyBetween holds constant memory (one upload part), measured in
 * a fresh process, and arrives intact.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { AzureStore, azureServiceUrl } from '../../../src/core/storage/azureStore';
import { GcsStore } from '../../../src/core/storage/gcsStore';
import type { ObjectStore } from '../../../src/core/storage';
import { startAzurite, type AzuriteHandle } from '../../servers/azurite';
import { startFakeGcs, type FakeGcsHandle } from '../../servers/fakeGcs';
import { startS3Server, type S3ServerHandle } from '../../servers/s3';
import type { Job } from './crossCopyMemoryChild';
import { md5Of, randomStream, s3Store } from './storeCases';

const MiB = 1024 * 1024;
const SIZE = 200 * MiB;

function copyInChild(job: Job): Promise<{ baseMiB: number; peakGrowthMiB: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', join(__dirname, 'crossCopyMemoryChild.ts'), JSON.stringify(job)], { timeout: 300_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${err.message}\n${stderr}`));
      resolve(JSON.parse(stdout.trim().split('\n').at(-1)!));
    });
  });
}

describe('S3 → Azure Blob / GCS streaming copy', () => {
  let s3: S3ServerHandle;
  let az: AzuriteHandle;
  let gcs: FakeGcsHandle;
  let digest = '';
  before(
    async () => {
      [s3, az, gcs] = await Promise.all([startS3Server({ buckets: ['milvus-a'] }), startAzurite({ containers: ['backups'] }), startFakeGcs({ buckets: ['backups'] })]);
      const src = s3Store(s3);
      const body = randomStream(SIZE);
      await src.put('milvus-a', 'files/insert_log/big', body.stream, SIZE);
      digest = body.digest();
      await src.close();
    },
    { timeout: 15 * 60_000 },
  );
  after(async () => {
    await Promise.all([s3?.stop(), az?.stop(), gcs?.stop()]);
  });

  for (const kind of ['azure', 'gcs'] as const) {
    test(`${kind}: 200 MiB grows RSS by less than 64 MiB and arrives intact`, async (t) => {
      const dst = kind === 'azure' ? { kind, serviceUrl: azureServiceUrl('127.0.0.1', az.port, false, az.account), account: az.account, key: az.accountKey } : { kind, url: gcs.url };
      const r = await copyInChild({ s3: s3, dst, srcBucket: 'milvus-a', srcKey: 'files/insert_log/big', dstBucket: 'backups', dstKey: 'backup/b1/big', size: SIZE });
      t.diagnostic(`rss growth streaming 200 MiB S3 → ${kind}: ${r.peakGrowthMiB.toFixed(1)} MiB (baseline ${r.baseMiB.toFixed(0)} MiB)`);
      assert.equal(r.bytes, SIZE);
      assert.ok(r.peakGrowthMiB < 64, `RSS grew by ${r.peakGrowthMiB.toFixed(1)} MiB`);
      const store: ObjectStore =
        kind === 'azure' ? new AzureStore({ serviceUrl: dst.kind === 'azure' ? dst.serviceUrl : '', accountName: az.account, accountKey: az.accountKey }) : new GcsStore({ apiEndpoint: gcs.url });
      try {
        assert.equal((await store.stat('backups', 'backup/b1/big'))?.etag, digest, 'the stored MD5 is the source bytes\'');
        assert.equal(await md5Of(await store.get('backups', 'backup/b1/big')), digest);
      } finally {
        await store.close();
      }
    });
  }
});
