/**
 * The `real` tier's environment: the seed document's two instances on REAL Milvus (test/servers/realMilvus.ts,
 * embedded Milvus 2.3.5 from PyPI) — milvus_A keeps its data in bucket-a/files and backs up into
 * bucket-b/backup, milvus_B keeps its data in bucket-b/files and restores from bucket-b/backup — on one S3
 * server, with a backup.yaml for each that both our CLI and the Go tool read. Ours runs in-process
 * (runCli), the Go tool as its binary (test/servers/goBackup.ts).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { runCli } from '../../src/cli/program';
import { createObjectStore } from '../../src/core/storage';
import { startS3Server, type S3ServerHandle } from '../servers/s3';
import { startRealMilvus, type RealMilvusHandle } from '../servers/realMilvus';
import { runGoBackup, type GoRun } from '../servers/goBackup';
import { testServerYaml } from '../servers/backupYaml';

export interface Instance {
  /** the server: real Milvus, or anything with the same shape (address, managementUrl, version, stop) */
  server: { address: string; port: number; managementUrl: string; version: string; stop(): Promise<void> };
  client: MilvusClient;
  /** its backup.yaml */
  config: string;
}

export interface RealEnv {
  s3: S3ServerHandle;
  dir: string;
  env: NodeJS.ProcessEnv;
  a: Instance;
  b: Instance;
  /** our CLI, in-process, with one instance's config */
  ours(inst: Instance, ...argv: string[]): Promise<CliRun>;
  /** the Go tool's binary with one instance's config */
  go(inst: Instance, ...argv: string[]): Promise<GoRun>;
  /** every object under a prefix: key → "size/etag" */
  snapshot(bucket: string, prefix?: string): Promise<Map<string, string>>;
  stop(): Promise<void>;
}

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export async function startRealPair(): Promise<RealEnv> {
  const s3 = await startS3Server({ buckets: ['bucket-a', 'bucket-b'] });
  const dir = await mkdtemp(join(tmpdir(), 'real-tier-'));
  const env = { MINIO_ACCESS_KEY: s3.accessKey, MINIO_SECRET_KEY: s3.secretKey };
  const servers: RealMilvusHandle[] = [];
  const clients: MilvusClient[] = [];
  const stop = async () => {
    for (const c of clients) await c.closeConnection().catch(() => undefined);
    await Promise.all(servers.map((s) => s.stop().catch(() => undefined)));
    await s3.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const [ma, mb] = await Promise.all([
      startRealMilvus({ s3, bucket: 'bucket-a', name: 'milvus_A' }).then((m) => (servers.push(m), m)),
      startRealMilvus({ s3, bucket: 'bucket-b', name: 'milvus_B' }).then((m) => (servers.push(m), m)),
    ]);
    const instance = async (m: RealMilvusHandle, file: string, bucket: string): Promise<Instance> => {
      const config = join(dir, file);
      await writeFile(config, testServerYaml({
        milvusAddress: m.address,
        s3Endpoint: s3.endpoint,
        milvusBucket: bucket,
        backupBucket: 'bucket-b',
        gcPause: { enable: true, address: m.managementUrl },
      }));
      const client = new MilvusClient({ address: m.address, logLevel: 'error' } as ConstructorParameters<typeof MilvusClient>[0]);
      clients.push(client);
      return { server: m, client, config };
    };
    const a = await instance(ma, 'a.yaml', 'bucket-a');
    const b = await instance(mb, 'b.yaml', 'bucket-b');
    return {
      s3, dir, env, a, b,
      async ours(inst, ...argv) {
        const out: string[] = [];
        const err: string[] = [];
        const code = await runCli(['--config', inst.config, ...argv], { out: (s) => out.push(s), err: (s) => err.push(s), env, isTTY: false });
        return { code, out: out.join('\n'), err: err.join('\n') };
      },
      go: (inst, ...argv) => runGoBackup(argv, { config: inst.config, cwd: dir, env }),
      snapshot: (bucket, prefix = '') => snapshot(s3, bucket, prefix),
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

async function snapshot(s3: S3ServerHandle, bucket: string, prefix: string): Promise<Map<string, string>> {
  const store = createObjectStore({
    provider: 'minio', address: s3.host, port: s3.port, region: '', useSSL: false, accountName: '', bucketName: bucket, rootPath: '', localPath: '',
    auth: { type: 'static', accessKeyID: s3.accessKey, secretAccessKey: s3.secretKey, sessionToken: '', accountKey: '', credentialsFile: '', endpoint: '' },
  });
  try {
    const m = new Map<string, string>();
    for await (const e of store.list(bucket, prefix, { recursive: true })) if (e.type === 'object') m.set(e.key, `${e.size}/${e.etag ?? ''}`);
    return m;
  } finally {
    await store.close();
  }
}
