/** Test helpers: one S3 server + one or more simulated Milvus instances, driven with the official SDK. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { MilvusClient, DataType } from '@zilliz/milvus2-sdk-node';
import { startS3Server, type S3ServerHandle } from '../../servers/s3';
import { startMilvusSim, type MilvusSimHandle, type MilvusSimOptions } from '../../milvus-sim/index';
import { milvusServiceDefinition } from '../../milvus-sim/protos';

export { DataType };

export interface Env {
  s3: S3ServerHandle;
  sims: MilvusSimHandle[];
  clients: MilvusClient[];
  dirs: string[];
  /** Starts another instance on the same S3 server (own bucket unless given). */
  addSim(o?: Partial<MilvusSimOptions>): Promise<MilvusSimHandle>;
  client(sim: MilvusSimHandle, o?: { username?: string; password?: string; database?: string }): MilvusClient;
  stop(): Promise<void>;
}

export async function startEnv(o: Partial<MilvusSimOptions> & { buckets?: string[] } = {}): Promise<Env> {
  const buckets = o.buckets ?? ['milvus-a', 'milvus-b'];
  const s3 = await startS3Server({ buckets });
  const env: Env = {
    s3,
    sims: [],
    clients: [],
    dirs: [],
    async addSim(extra = {}) {
      const dir = await mkdtemp(join(tmpdir(), 'milvus-sim-test-'));
      env.dirs.push(dir);
      const sim = await startMilvusSim({
        version: 'v2.5.14',
        dataDir: dir,
        s3: { endpoint: s3.endpoint, accessKey: s3.accessKey, secretKey: s3.secretKey },
        bucket: buckets[env.sims.length % buckets.length],
        rootPath: 'files',
        ...o,
        ...extra,
      });
      env.sims.push(sim);
      return sim;
    },
    client(sim, co = {}) {
      const c = new MilvusClient({ address: sim.address, ...co });
      env.clients.push(c);
      return c;
    },
    async stop() {
      // every step runs even if an earlier one fails, so no server or temp dir outlives the test
      const errors: unknown[] = [];
      for (const c of env.clients) await c.closeConnection().catch(() => undefined);
      for (const s of env.sims) await s.stop().catch((e: unknown) => errors.push(e));
      await s3.stop().catch((e: unknown) => errors.push(e));
      for (const d of env.dirs) await rm(d, { recursive: true, force: true });
      if (errors.length) throw errors[0];
    },
  };
  try {
    await env.addSim();
  } catch (e) {
    await env.stop().catch(() => undefined);
    throw e;
  }
  return env;
}

/** A plain grpc-js client of MilvusService (to send exactly what a test wants: header-only db, raw statuses). */
export function rawClient(address: string): grpc.Client & Record<string, (req: unknown, md: grpc.Metadata, cb: (e: grpc.ServiceError | null, r: any) => void) => void> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const Ctor = grpc.makeGenericClientConstructor(milvusServiceDefinition(), 'MilvusService');
  return new Ctor(address, grpc.credentials.createInsecure()) as never;
}

export function rawCall(client: ReturnType<typeof rawClient>, method: string, req: unknown, md: Record<string, string> = {}): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const meta = new grpc.Metadata();
  for (const [k, v] of Object.entries(md)) meta.set(k, v);
  return new Promise((resolve, reject) => client[method](req, meta, (e, r) => (e ? reject(e) : resolve(r))));
}

export async function rest(address: string, route: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string; json: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const r = await fetch(`http://${address}/v2/vectordb/${route}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await r.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: r.status, text, json };
}

/** A small collection used across tests: int64 pk, 4-dim float vector, varchar, dynamic fields. */
export function simpleFields() {
  return [
    { name: 'id', data_type: DataType.Int64, is_primary_key: true },
    { name: 'vec', data_type: DataType.FloatVector, dim: 4 },
    { name: 'title', data_type: DataType.VarChar, max_length: 64 },
  ];
}

export function rows(from: number, to: number) {
  const out = [];
  for (let i = from; i < to; i++) out.push({ id: i, vec: [i, i + 1, i + 2, i + 3], title: `t${i}`, color: i % 2 ? 'red' : 'blue' });
  return out;
}

/** Every object key under `prefix` in `bucket` of the test S3 server. */
export async function listKeys(s3: S3ServerHandle, bucket: string, prefix: string): Promise<string[]> {
  const { Client } = await import('minio');
  const mc = new Client({ endPoint: s3.host, port: s3.port, useSSL: false, accessKey: s3.accessKey, secretKey: s3.secretKey });
  const keys: string[] = [];
  const stream = mc.listObjectsV2(bucket, prefix, true);
  for await (const o of stream as AsyncIterable<{ name?: string }>) if (o.name) keys.push(o.name);
  return keys.sort();
}

export async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
