/**
 * The Milvus test server on the embedded S3 server (buckets `bucket-a` for Milvus, `bucket-b` for backups),
 * a backup.yaml written for it, and helpers to seed collections with the official SDK.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MilvusClient, DataType } from '@zilliz/milvus2-sdk-node';
import { loadConfigOrThrow, type ResolvedConfig } from '../../../src/core/config';
import { createObjectStore, type ObjectStore } from '../../../src/core/storage';
import { testServerYaml } from '../../servers/backupYaml';
import { startS3Server, type S3ServerHandle } from '../../servers/s3';
import { startMilvusSim, type MilvusSimHandle } from '../../milvus-sim/index';

export { DataType };

export interface SimEnv {
  s3: S3ServerHandle;
  sim: MilvusSimHandle;
  client: MilvusClient;
  dir: string;
  /** a store on the S3 server (any bucket) */
  store: ObjectStore;
  /** env for the CLI (secrets) */
  env: NodeJS.ProcessEnv;
  configFile: string;
  config(extra?: string[]): ResolvedConfig;
  /** key → "size/etag" for every object of a bucket under a prefix */
  snapshot(bucket: string, prefix?: string): Promise<Map<string, string>>;
  admin(route: string, query?: Record<string, string>): Promise<unknown>;
  stop(): Promise<void>;
}

export async function startSimEnv(
  version: string,
  o: {
    buckets?: string[];
    s3?: S3ServerHandle;
    /** Milvus with authentication on (root + this password), and the CLI's env giving it (MILVUS_USER/MILVUS_PASSWORD). */
    milvusAuth?: { user: string; password: string };
    /** The S3 secret the CLI's env gives (s3rver checks no signatures, so any value works). */
    s3SecretKey?: string;
  } = {},
): Promise<SimEnv> {
  const s3 = o.s3 ?? (await startS3Server({ buckets: o.buckets ?? ['bucket-a', 'bucket-b'] }));
  const dir = await mkdtemp(join(tmpdir(), 'backup-sim-'));
  const sim = await startMilvusSim({
    version,
    dataDir: join(dir, 'sim'),
    s3: { endpoint: s3.endpoint, accessKey: s3.accessKey, secretKey: s3.secretKey },
    bucket: 'bucket-a',
    rootPath: 'files',
    // no background GC: the tests trigger it through the admin port
    dataPlaneOptions: { gcIntervalMs: 0 },
    user: o.milvusAuth?.user,
    password: o.milvusAuth?.password,
  });
  const client = new MilvusClient({ address: sim.address, logLevel: 'error', username: o.milvusAuth?.user, password: o.milvusAuth?.password });
  const configFile = join(dir, 'backup.yaml');
  // secrets stay out of the file (env below), as the config loader advises
  await writeFile(configFile, testServerYaml({
    milvusAddress: sim.address,
    s3Endpoint: s3.endpoint,
    milvusBucket: 'bucket-a',
    backupBucket: 'bucket-b',
    gcPause: { enable: false, address: sim.managementUrl },
  }));
  const env: NodeJS.ProcessEnv = { MINIO_ACCESS_KEY: s3.accessKey, MINIO_SECRET_KEY: o.s3SecretKey ?? s3.secretKey };
  if (o.milvusAuth) Object.assign(env, { MILVUS_USER: o.milvusAuth.user, MILVUS_PASSWORD: o.milvusAuth.password });
  const store = createObjectStore({
    provider: 'minio', address: s3.host, port: s3.port, region: '', useSSL: false, accountName: '', bucketName: 'bucket-a',
    rootPath: '', localPath: '',
    auth: { type: 'static', accessKeyID: s3.accessKey, secretAccessKey: s3.secretKey, sessionToken: '', accountKey: '', credentialsFile: '', endpoint: '' },
  });
  return {
    s3, sim, client, dir, store, env, configFile,
    config(extra = []) {
      return loadConfigOrThrow({ file: configFile, fileExplicit: true, env, set: extra }).config;
    },
    async snapshot(bucket, prefix = '') {
      const m = new Map<string, string>();
      for await (const e of store.list(bucket, prefix, { recursive: true })) if (e.type === 'object') m.set(e.key, `${e.size}/${e.etag ?? ''}`);
      return m;
    },
    async admin(route, query = {}) {
      const r = await fetch(`${sim.managementUrl}${route}?${new URLSearchParams(query)}`, { method: 'POST' });
      const text = await r.text();
      if (!r.ok) throw new Error(`${route}: HTTP ${r.status} ${text}`);
      return text ? JSON.parse(text) : {};
    },
    async stop() {
      await client.closeConnection().catch(() => undefined);
      await store.close().catch(() => undefined);
      await sim.stop();
      if (!o.s3) await s3.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Creates `db.name` with an int64 pk, a 4-dim vector, a varchar and the dynamic field, inserts `n` rows and flushes. */
export async function seedCollection(
  c: MilvusClient, name: string, n: number, o: { db?: string; partitionKey?: boolean; deleteIds?: number[]; flush?: boolean } = {},
): Promise<void> {
  const db = o.db ?? 'default';
  if (db !== 'default') {
    const dbs = await c.listDatabases();
    if (!dbs.db_names.includes(db)) await c.createDatabase({ db_name: db });
  }
  const r = await c.createCollection({
    db_name: db,
    collection_name: name,
    enable_dynamic_field: true,
    fields: [
      { name: 'id', data_type: DataType.Int64, is_primary_key: true, autoID: false },
      { name: 'vec', data_type: DataType.FloatVector, dim: 4 },
      { name: 'title', data_type: DataType.VarChar, max_length: 64, is_partition_key: o.partitionKey ?? false },
      { name: 'year', data_type: DataType.Int32, nullable: true, default_value: 1999 },
    ],
    ...(o.partitionKey ? { num_partitions: 4 } : {}),
  } as never);
  if (r.error_code !== 'Success') throw new Error(`createCollection ${name}: ${r.reason}`);
  const data = [];
  for (let i = 0; i < n; i++) data.push({ id: i, vec: [i, i + 1, i + 2, i + 3], title: `t${i % 7}`, year: 2000 + (i % 20), color: i % 2 ? 'red' : 'blue' });
  const ins = await c.insert({ db_name: db, collection_name: name, data });
  if (ins.status.error_code !== 'Success') throw new Error(`insert ${name}: ${ins.status.reason}`);
  if (o.deleteIds?.length) {
    const d = await c.delete({ db_name: db, collection_name: name, filter: `id in [${o.deleteIds.join(',')}]` } as never);
    if (d.status.error_code !== 'Success') throw new Error(`delete ${name}: ${d.status.reason}`);
  }
  if (o.flush !== false) await c.flushSync({ db_name: db, collection_names: [name] } as never);
}
