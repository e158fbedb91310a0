import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../../../src/cli/program';
import { readBackupDir } from '../../../src/core/catalog/backupMeta';
import { loadConfigOrThrow } from '../../../src/core/config';
import { createObjectStore, type ObjectStore } from '../../../src/core/storage';
import { startAzurite, type AzuriteHandle } from '../../servers/azurite';
import { startFakeGcs, type FakeGcsHandle } from '../../servers/fakeGcs';
import { load } from '../restore/simEnv';
import { seedCollection, startSimEnv, type SimEnv } from './simEnv';

/**
 * The seed scenario with the backup storage on Azure Blob (Azurite) and on GCS (fake-gcs-server): Milvus (the
 * test server) keeps its binlogs on S3, so every backup is cross-provider and streams; `check` probes the
 * cloud side, `create` writes the Go tool's layout there, and `restore` brings the rows back from it.
 * The backup side is configured with the Go tool's v1 keys (`minio.backupStorageType: azure`, the account
 * name as `backupAccessKeyID`, the key as `backupSecretAccessKey`; `gcpnative` with `backupGcpCredentialJSON`).
 */
let env: SimEnv;
let az: AzuriteHandle;
let gcs: FakeGcsHandle;
let saFile: string;

async function cli(sets: string[], ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const args = ['--config', env.configFile, ...sets.flatMap((s) => ['--set', s]), ...argv];
  const code = await runCli(args, { out: (s) => out.push(s), err: (s) => err.push(s), env: env.env, isTTY: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const azure = () => [
  'minio.backupStorageType=azure', 'minio.backupAddress=127.0.0.1', `minio.backupPort=${az.port}`, 'minio.backupUseSSL=false',
  'minio.backupBucketName=milvus-backups', `minio.backupAccessKeyID=${az.account}`, `minio.backupSecretAccessKey=${az.accountKey}`,
];
const google = () => [
  'minio.backupStorageType=gcpnative', 'minio.backupAddress=127.0.0.1', `minio.backupPort=${gcs.port}`, 'minio.backupUseSSL=false',
  'minio.backupBucketName=milvus-backups', `minio.backupGcpCredentialJSON=${saFile}`,
];

/** Every row of a seeded collection (id, vec, title, year), by id. */
async function rows(collection: string): Promise<Array<Record<string, unknown>>> {
  await load(env.client, collection);
  const r = await env.client.query({ collection_name: collection, filter: '', output_fields: ['id', 'vec', 'title', 'year'], limit: 16384 } as never);
  assert.equal(r.status.error_code, 'Success', r.status.reason);
  return [...r.data].sort((x, y) => Number(x.id) - Number(y.id));
}

function backupStore(sets: string[]): ObjectStore {
  const cfg = loadConfigOrThrow({ file: env.configFile, fileExplicit: true, env: env.env, set: sets }).config;
  return createObjectStore(cfg.backup.storage);
}

describe('seed scenario with the backups on Azure Blob and GCS', () => {
  before(
    async () => {
      [env, az, gcs] = await Promise.all([startSimEnv('v2.5.14'), startAzurite(), startFakeGcs()]);
      await seedCollection(env.client, 'coll', 300, { deleteIds: [1, 2, 3] });
      // a service-account key file as Google issues them (the emulator takes no token; the project id is read from it)
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      saFile = join(env.dir, 'sa.json');
      await writeFile(saFile, JSON.stringify({
        type: 'service_account', project_id: 'seed-project', private_key_id: 'k1',
        private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }), client_email: 'backup@seed-project.iam.gserviceaccount.com', client_id: '1',
        token_uri: `${gcs.url}/token`,
      }), { mode: 0o600 });
    },
    { timeout: 15 * 60_000 },
  );
  after(async () => {
    await env?.stop();
    await az?.stop();
    await gcs?.stop();
  });

  test('v2 configs (azure: accountName + auth sharedKey from env; gcpnative: Application Default Credentials) reach the emulators', async () => {
    const v2 = (storage: string) => `configVersion: v2\nmilvus:\n  grpc:\n    address: 127.0.0.1\n    port: 19530\n  storage:\n${storage}backup:\n  storage:\n    rootPath: backup\n`;
    const texts = {
      azure: v2(`    provider: azure\n    address: 127.0.0.1\n    port: ${az.port}\n    useSSL: false\n    accountName: ${az.account}\n    bucketName: v2-container\n    rootPath: files\n    auth:\n      type: sharedKey\n`),
      gcpnative: v2(`    provider: gcpnative\n    address: 127.0.0.1\n    port: ${gcs.port}\n    useSSL: false\n    bucketName: v2-bucket\n    rootPath: files\n    auth:\n      type: default\n`),
    };
    for (const [name, text] of Object.entries(texts)) {
      const loaded = loadConfigOrThrow({ text, file: `${name}.yaml`, env: name === 'azure' ? { MILVUS_STORAGE_AUTH_ACCOUNT_KEY: az.accountKey } : {} });
      const cfg = loaded.config;
      assert.equal(cfg.backup.storage.provider, name, 'the backup side inherits the provider');
      const st = createObjectStore(cfg.backup.storage);
      try {
        const bucket = cfg.backup.storage.bucketName;
        await st.createBucket(bucket);
        await st.put(bucket, 'backup/probe', Buffer.from('v2'), 2);
        assert.equal((await st.stat(bucket, 'backup/probe'))?.size, 2);
        await st.deleteObjects(bucket, ['backup/probe']);
        assert.equal(await st.stat(bucket, 'backup/probe'), undefined);
      } finally {
        await st.close();
      }
    }
  });

  for (const [name, sets] of [['azure', azure], ['gcpnative', google]] as const) {
    test(`${name}: check probes it, create streams the backup there (bucket created), list/restore read it back`, async () => {
      const chk = await cli(sets(), 'check');
      assert.equal(chk.code, 0, chk.err + chk.out);
      assert.match(chk.out, /copy mode: streaming/);
      assert.match(chk.out, /Success!/);
      if (name === 'azure') {
        // the config as the file names it (v1 keys): the account name shown, the account key masked
        const keyLine = chk.out.split('\n').find((l) => /^\s*minio\.backupSecretAccessKey\s/.test(l));
        assert.ok(keyLine && /\*\*\*\*/.test(keyLine) && !keyLine.includes(az.accountKey), keyLine);
        assert.match(chk.out, /minio\.backupAccessKeyID\s+devstoreaccount1/);
      }

      const bname = `seed_${name}`;
      const r = await cli(sets(), 'create', '-c', 'coll', '-n', bname, '--json');
      assert.equal(r.code, 0, r.err + r.out);
      const summary = JSON.parse(r.out) as { transfer: string; objects: number; bytes: number };
      assert.equal(summary.transfer, 'streaming');

      // the Go tool's layout in the container/bucket, every source binlog there with its size
      const store = backupStore(sets());
      try {
        const st = await readBackupDir(store, 'milvus-backups', `backup/${bname}/`, { detail: 'full' });
        assert.equal(st.state, 'complete');
        if (st.state !== 'complete') return;
        const src = await env.snapshot('bucket-a', 'files/');
        const c = st.info.collectionBackups[0]!;
        const segs = [...c.partitionBackups.flatMap((p) => p.segmentBackups), ...c.l0Segments];
        assert.equal(segs.filter((s) => !s.isL0).reduce((a, s) => a + s.numOfRows, 0n), 300n);
        let n = 0;
        for (const s of segs) for (const f of [...s.binlogs, ...s.deltalogs]) for (const b of f.binlogs) {
          n++;
          assert.equal(src.get(b.logPath)?.split('/')[0], String(b.logSize), b.logPath);
        }
        assert.equal(n, summary.objects);
        let stored = 0;
        for await (const e of store.list('milvus-backups', `backup/${bname}/binlogs/`, { recursive: true })) if (e.type === 'object') stored += e.size;
        assert.equal(stored, summary.bytes);
      } finally {
        await store.close();
      }

      const list = await cli(sets(), 'list');
      assert.match(list.out, new RegExp(`^${bname}$`, 'm'));
      // restore into the same Milvus (binlogs staged from the cloud into its S3 bucket, then imported)
      const rr = await cli(sets(), 'restore', '-c', 'coll', '-n', bname, '-s', `_${name}`);
      assert.equal(rr.code, 0, rr.err + rr.out);
      assert.match(rr.out, new RegExp(`default\\.coll → default\\.coll_${name}: restored, created, 300 rows \\(verified\\)`));
      const a = await rows('coll');
      const b = await rows(`coll_${name}`);
      // the 300 rows imported, the three deleted ones masked by the restored L0 deletes: the same rows as the source
      assert.equal(b.length, 297);
      assert.deepEqual(b, a);
      // the restore's staging area in Milvus's bucket is gone
      assert.deepEqual([...(await env.snapshot('bucket-a')).keys()].filter((k) => k.includes('restore-temp-')), []);
    });
  }
});
