/** Test helpers: one S3 server + one or more simulated Milvus instances, driven with the official SDK. */
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { MilvusClient, DataType } from '@zilliz/milvus2-sdk-node';
import type { S3ServerHandle } from '../../servers/s3';
import { startTestServers } from '../../servers/testServers';
import type { MilvusSimHandle, MilvusSimOptions } from '../../milvus-sim/index';
import { milvusServiceDefinition } from '../../milvus-sim/protos';

export { DataType };

export interface Env {
  s3: S3ServerHandle;
  sims: MilvusSimHandle[];
  /** the data dir of each instance started, in order (a restart test starts a new sim on one) */
  dirs: string[];
  /** Starts another instance on the same S3 server (own bucket unless given). */
  addSim(o?: Partial<MilvusSimOptions>): Promise<MilvusSimHandle>;
  client(sim: MilvusSimHandle, o?: { username?: string; password?: string; database?: string }): MilvusClient;
  stop(): Promise<void>;
}

/** test/servers/testServers.ts in the test server's own suites' shape: one sim started, more with addSim. */
export async function startEnv(o: Partial<MilvusSimOptions> & { buckets?: string[] } = {}): Promise<Env> {
  const { buckets: given, ...simOptions } = o;
  const buckets = given ?? ['milvus-a', 'milvus-b'];
  const t = await startTestServers({ buckets, tmpPrefix: 'milvus-sim-test-' });
  const env: Env = {
    s3: t.s3,
    sims: t.sims,
    dirs: [],
    addSim(extra = {}) {
      const dataDir = extra.dataDir ?? simOptions.dataDir ?? join(t.dir, `sim-${env.dirs.length}`);
      env.dirs.push(dataDir);
      // the sim's own data-plane defaults unless a test sets them
      return t.startSim({ bucket: buckets[t.sims.length % buckets.length]!, dataPlaneOptions: undefined, ...simOptions, ...extra, dataDir });
    },
    client: (sim, co = {}) => t.client(sim, co),
    stop: () => t.stop(),
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
