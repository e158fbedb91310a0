/**
 * The Milvus test server on the embedded S3 server (buckets `bucket-a` for Milvus, `bucket-b` for backups),
 * a backup.yaml written for it, and helpers to seed collections with the official SDK.
 */
import { MilvusClient, DataType } from '@zilliz/milvus2-sdk-node';
import type { ResolvedConfig } from '../../../src/core/config';
import type { ObjectStore } from '../../../src/core/storage';
import type { S3ServerHandle } from '../../servers/s3';
import { startTestServers } from '../../servers/testServers';
import type { MilvusSimHandle } from '../../milvus-sim/index';

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

/** test/servers/testServers.ts in the backup suites' shape: one sim on bucket-a, backups into bucket-b. */
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
  const t = await startTestServers({ buckets: o.buckets, s3: o.s3, tmpPrefix: 'backup-sim-' });
  try {
    // no background GC: the tests trigger it through the admin port
    const sim = await t.startSim({
      name: 'main', version, bucket: 'bucket-a', dataPlaneOptions: { gcIntervalMs: 0 }, user: o.milvusAuth?.user, password: o.milvusAuth?.password,
    });
    const client = t.client(sim, { username: o.milvusAuth?.user, password: o.milvusAuth?.password });
    const env: NodeJS.ProcessEnv = { ...t.env, MINIO_SECRET_KEY: o.s3SecretKey ?? t.env.MINIO_SECRET_KEY };
    if (o.milvusAuth) Object.assign(env, { MILVUS_USER: o.milvusAuth.user, MILVUS_PASSWORD: o.milvusAuth.password });
    // secrets stay out of the file (t.env), as the config loader advises
    const configFile = await t.writeConfig('backup.yaml', {
      sim, milvusBucket: 'bucket-a', backupBucket: 'bucket-b', gcPause: { enable: false, address: sim.managementUrl },
    });
    const store = t.store();
    return {
      s3: t.s3, sim, client, dir: t.dir, store, env, configFile,
      config: (extra = []) => t.config(configFile, extra),
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
      stop: () => t.stop(),
    };
  } catch (e) {
    await t.stop().catch(() => undefined);
    throw e;
  }
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
  });
  if (r.error_code !== 'Success') throw new Error(`createCollection ${name}: ${r.reason}`);
  const data = [];
  for (let i = 0; i < n; i++) data.push({ id: i, vec: [i, i + 1, i + 2, i + 3], title: `t${i % 7}`, year: 2000 + (i % 20), color: i % 2 ? 'red' : 'blue' });
  const ins = await c.insert({ db_name: db, collection_name: name, data });
  if (ins.status.error_code !== 'Success') throw new Error(`insert ${name}: ${ins.status.reason}`);
  if (o.deleteIds?.length) {
    const d = await c.delete({ db_name: db, collection_name: name, filter: `id in [${o.deleteIds.join(',')}]` });
    if (d.status.error_code !== 'Success') throw new Error(`delete ${name}: ${d.status.reason}`);
  }
  if (o.flush !== false) await c.flushSync({ db_name: db, collection_names: [name] });
}
