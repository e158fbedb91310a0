/**
 * Integration environment for restore tests: one embedded S3 server with bucket-a and bucket-b, Milvus test
 * servers on them, backup.yaml files written to a temp dir, and loaded configs. milvus_A keeps its data in
 * bucket-a and writes backups to bucket-b; milvus_B keeps its data in bucket-b and restores from bucket-b —
 * the seed document's two configs.
 */
import { DataType, MilvusClient } from '@zilliz/milvus2-sdk-node';
import { createObjectStore } from '../../../src/core/storage';
import type { ResolvedConfig } from '../../../src/core/config/types';
import type { MilvusSimHandle, MilvusSimOptions } from '../../milvus-sim/index';
import type { S3ServerHandle } from '../../servers/s3';
import { startTestServers } from '../../servers/testServers';

export { DataType };

export interface RestoreEnv {
  s3: S3ServerHandle;
  dir: string;
  env: NodeJS.ProcessEnv;
  startSim(name: string, bucket: string, version: string, extra?: Partial<MilvusSimOptions>): Promise<MilvusSimHandle>;
  /** Writes `<dir>/<file>` for a Milvus instance and returns its path. */
  writeConfig(file: string, sim: MilvusSimHandle, milvusBucket: string, backupBucket: string, extra?: string[]): Promise<string>;
  config(path: string, set?: string[]): ResolvedConfig;
  client(sim: MilvusSimHandle, database?: string): MilvusClient;
  stop(): Promise<void>;
}

/** test/servers/testServers.ts in the restore suites' shape. */
export async function startRestoreEnv(buckets = ['bucket-a', 'bucket-b']): Promise<RestoreEnv> {
  const t = await startTestServers({ buckets, tmpPrefix: 'restore-it-' });
  return {
    s3: t.s3,
    dir: t.dir,
    env: t.env,
    startSim: (name, bucket, version, extra = {}) => t.startSim({ name, bucket, version, ...extra }),
    writeConfig: (file, sim, milvusBucket, backupBucket, extra = []) => t.writeConfig(file, { sim, milvusBucket, backupBucket, extra }),
    config: (path, set = []) => t.config(path, set),
    client: (sim, database) => t.client(sim, { database }),
    stop: () => t.stop(),
  };
}

/**
 * The seed document's two instances on one fresh env: milvus_A (`a`, data in bucket-a, backups into bucket-b,
 * config a.yaml) and milvus_B (`b`, data in bucket-b, restores from bucket-b, config b.yaml), with a client each.
 */
export interface SeedPair {
  env: RestoreEnv;
  a: MilvusSimHandle;
  b: MilvusSimHandle;
  ca: MilvusClient;
  cb: MilvusClient;
  /** paths of a.yaml and b.yaml */
  fileA: string;
  fileB: string;
}

export async function startSeedPair(versionA: string, versionB = versionA): Promise<SeedPair> {
  const env = await startRestoreEnv();
  try {
    const a = await env.startSim('a', 'bucket-a', versionA);
    const b = await env.startSim('b', 'bucket-b', versionB);
    return {
      env, a, b,
      ca: env.client(a),
      cb: env.client(b),
      fileA: await env.writeConfig('a.yaml', a, 'bucket-a', 'bucket-b'),
      fileB: await env.writeConfig('b.yaml', b, 'bucket-b', 'bucket-b'),
    };
  } catch (e) {
    await env.stop();
    throw e;
  }
}

/** Loads a collection, first giving its vector fields an index when they have none (Milvus needs one to load). */
export async function load(c: MilvusClient, collection: string, dbName?: string): Promise<void> {
  const d = await c.describeCollection({ collection_name: collection, db_name: dbName });
  const idx = await c.describeIndex({ collection_name: collection, db_name: dbName });
  const indexed = new Set((idx.index_descriptions ?? []).map((i: { field_name: string }) => i.field_name));
  for (const f of d.schema.fields) {
    const t = String(f.data_type);
    if (!/Vector$/.test(t) || indexed.has(f.name)) continue;
    const sparse = t === 'SparseFloatVector';
    const r = await c.createIndex({
      collection_name: collection, db_name: dbName, field_name: f.name,
      index_type: sparse ? 'SPARSE_INVERTED_INDEX' : 'FLAT', metric_type: sparse ? (f.is_function_output ? 'BM25' : 'IP') : 'L2',
    });
    if (r.error_code !== 'Success') throw new Error(`index ${collection}.${f.name}: ${r.reason}`);
  }
  const l = await c.loadCollection({ collection_name: collection, db_name: dbName });
  if (l.error_code !== 'Success') throw new Error(`load ${collection}: ${l.reason}`);
}

/** Every row of a collection, sorted by primary key (loads the collection first). */
export async function allRows(c: MilvusClient, collection: string, outputFields: string[], dbName?: string): Promise<Array<Record<string, unknown>>> {
  await load(c, collection, dbName);
  const r = await c.query({ collection_name: collection, db_name: dbName, filter: '', output_fields: outputFields, limit: 16384 });
  if (r.status.error_code !== 'Success') throw new Error(`query ${collection}: ${r.status.reason}`);
  return [...r.data].sort((a, b) => (BigInt(a.pk as string) < BigInt(b.pk as string) ? -1 : 1));
}

export async function countRows(c: MilvusClient, collection: string, dbName?: string): Promise<number> {
  await load(c, collection, dbName);
  const r = await c.query({ collection_name: collection, db_name: dbName, filter: '', output_fields: ['count(*)'] });
  if (r.status.error_code !== 'Success') throw new Error(`count ${collection}: ${r.status.reason}`);
  return Number(r.data[0]!['count(*)']);
}

/** A simple collection pk Int64 + vec FloatVector(4), n rows with pk 1..n, flushed. */
export async function fillSimple(c: MilvusClient, name: string, n: number, o: { dbName?: string; dynamic?: boolean; partitions?: string[] } = {}): Promise<void> {
  const created = await c.createCollection({
    collection_name: name,
    db_name: o.dbName,
    enable_dynamic_field: o.dynamic ?? false,
    fields: [
      { name: 'pk', data_type: DataType.Int64, is_primary_key: true, autoID: false },
      { name: 'vec', data_type: DataType.FloatVector, dim: 4 },
    ],
  });
  if (created.error_code !== 'Success') throw new Error(`create ${name}: ${created.reason}`);
  for (const p of o.partitions ?? []) await c.createPartition({ collection_name: name, partition_name: p, db_name: o.dbName });
  const parts = [undefined, ...(o.partitions ?? [])];
  const byPart = new Map<string | undefined, Array<Record<string, unknown>>>();
  for (let i = 1; i <= n; i++) {
    const p = parts[i % parts.length];
    const row: Record<string, unknown> = { pk: i, vec: [i, i + 1, i + 2, i + 3].map((x) => x / 10) };
    if (o.dynamic) row.extra = `e${i}`;
    const list = byPart.get(p) ?? [];
    list.push(row);
    byPart.set(p, list);
  }
  for (const [p, data] of byPart) {
    const r = await c.insert({ collection_name: name, db_name: o.dbName, partition_name: p, data } as never);
    if (r.status.error_code !== 'Success') throw new Error(`insert ${name}: ${r.status.reason}`);
  }
  await c.flushSync({ collection_names: [name], db_name: o.dbName });
}

/**
 * Faults a test server's data plane can be given beyond the sim's own fault list:
 *  - `failImports`: the next N backup/L0 imports end `Failed` without importing anything (what Milvus does when
 *    a job fails: nothing is committed);
 *  - `dropLastPair`: a merged import silently skips its last segment — a server that loses rows and still
 *    reports success.
 */
export function faultyDataPlane<T extends object>(dp: T, o: { failImports?: number; dropLastPair?: boolean }): T {
  // `o` is read (and failImports counted down) on every call, so a test can switch faults on and off.
  const synthetic = new Map<string, Record<string, unknown>>();
  return new Proxy(dp, {
    get(t, k) {
      const v = Reflect.get(t, k, t) as unknown;
      if (k === 'createImport') {
        return async (c: { dbName: string; name: string; collectionId: string }, p: string | undefined, files: string[][], opts: Record<string, string>) => {
          if ((o.failImports ?? 0) > 0) {
            o.failImports = (o.failImports ?? 0) - 1;
            const jobId = (t as unknown as { allocId(): string }).allocId();
            const view = {
              jobId, dbName: c.dbName, collectionName: c.name, collectionId: c.collectionId, state: 'Failed', progress: 0,
              reason: 'simulated import failure', importedRows: 0, totalRows: 0, segmentIds: [], createTime: Date.now(), files,
            };
            synthetic.set(jobId, view);
            return view;
          }
          const f = o.dropLastPair && files.length > 1 ? files.slice(0, -1) : files;
          return (v as (...a: unknown[]) => unknown).call(t, c, p, f, opts);
        };
      }
      if (k === 'getImport') {
        return async (id: string) => synthetic.get(id) ?? (v as (id: string) => unknown).call(t, id);
      }
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
    },
  });
}

/** Object keys under a prefix of a bucket on the env's S3 server. */
export async function keysUnder(env: RestoreEnv, bucket: string, prefix: string): Promise<string[]> {
  const store = createObjectStore({
    provider: 'minio', address: '127.0.0.1', port: env.s3.port, region: '', useSSL: false, accountName: '', bucketName: bucket, rootPath: '', localPath: '',
    auth: { type: 'static', accessKeyID: env.s3.accessKey, secretAccessKey: env.s3.secretKey, sessionToken: '', accountKey: '', credentialsFile: '', endpoint: '' },
  });
  try {
    const keys: string[] = [];
    for await (const e of store.list(bucket, prefix, { recursive: true })) if (e.type === 'object') keys.push(e.key);
    return keys;
  } finally {
    await store.close();
  }
}
