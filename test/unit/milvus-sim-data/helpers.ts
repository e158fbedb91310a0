/** Shared fixtures for the data-plane tests: an embedded S3 server, temp data dirs, hand-built CollectionViews. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startS3Server, S3ServerHandle } from '../../servers/s3';
import { createDataPlane } from '../../milvus-sim/data/index';
import type { CollectionView, FieldView, Row, Value } from '../../milvus-sim/data/api';
import type { DataPlaneOptions } from '../../milvus-sim/data/engine';
import { ObjectStore } from '../../milvus-sim/data/objectStore';

export const BUCKET = 'milvus-a';
export const ROOT = 'files';

export interface Env {
  s3: S3ServerHandle;
  /** The test bucket (BUCKET) of that server, to read and plant objects directly. */
  store: ObjectStore;
  dirs: string[];
  open(version?: string, extra?: Partial<DataPlaneOptions>, dataDir?: string): Promise<Awaited<ReturnType<typeof createDataPlane>>>;
  newDir(): Promise<string>;
  close(): Promise<void>;
}

export function v(s: string) {
  const [major, minor, patch] = s.replace(/^v/, '').split('.').map(Number);
  return { major, minor, patch };
}

export async function setup(): Promise<Env> {
  const s3 = await startS3Server({ buckets: [BUCKET, 'milvus-b'] });
  const dirs: string[] = [];
  const planes: Array<{ close(): Promise<void> }> = [];
  const env: Env = {
    s3,
    store: new ObjectStore({ endpoint: s3.endpoint, accessKey: s3.accessKey, secretKey: s3.secretKey }, BUCKET),
    dirs,
    async newDir() {
      const d = await mkdtemp(join(tmpdir(), 'msim-data-'));
      dirs.push(d);
      return d;
    },
    async open(version = '2.5.14', extra = {}, dataDir?: string) {
      const dp = await createDataPlane({
        s3: { endpoint: s3.endpoint, accessKey: s3.accessKey, secretKey: s3.secretKey },
        bucket: BUCKET,
        rootPath: ROOT,
        dataDir: dataDir ?? (await env.newDir()),
        version: v(version),
        importStepMs: 20,
        ...extra,
      });
      planes.push(dp);
      return dp;
    },
    async close() {
      for (const p of planes) await p.close().catch(() => undefined);
      await s3.stop();
      for (const d of dirs) await rm(d, { recursive: true, force: true });
    },
  };
  return env;
}

let nextId = 449_000_000_000_000_000n;
export function fakeId(): string {
  nextId += 1000n;
  return nextId.toString();
}

export function field(fieldId: number, name: string, dataType: string, extra: Partial<FieldView> = {}): FieldView {
  return { fieldId, name, dataType, isPrimaryKey: false, autoID: false, isPartitionKey: false, isDynamic: false, nullable: false, isFunctionOutput: false, ...extra };
}

/** pk Int64 (100), vec FloatVector dim 2 (101), name VarChar (102), age Int32 (103), $meta (104). */
export function collection(version: string, o: { shards?: number; autoID?: boolean; fields?: FieldView[]; partitions?: string[]; name?: string; collectionId?: string } = {}): CollectionView {
  const collectionId = o.collectionId ?? fakeId();
  const shards = o.shards ?? 2;
  return {
    dbName: 'default',
    dbId: '1',
    collectionId,
    name: o.name ?? `c${collectionId.slice(-6)}`,
    fields: o.fields ?? [
      field(100, 'pk', 'Int64', { isPrimaryKey: true, autoID: !!o.autoID }),
      field(101, 'vec', 'FloatVector', { dim: 2 }),
      field(102, 'name', 'VarChar'),
      field(103, 'age', 'Int32'),
      field(104, '$meta', 'JSON', { isDynamic: true }),
    ],
    partitions: (o.partitions ?? ['_default']).map((name) => ({ partitionId: fakeId(), name })),
    vchannels: Array.from({ length: shards }, (_, i) => `by-dev-rootcoord-dml_${i}_${collectionId}v${i}`),
    pchannels: Array.from({ length: shards }, (_, i) => `by-dev-rootcoord-dml_${i}`),
    version: v(version),
  };
}

export function row(pk: bigint | null, vec: number[], name: string, age: number, meta: object = {}): Row {
  const r: Row = new Map<number, Value>([
    [101, vec],
    [102, name],
    [103, age],
    [104, Buffer.from(JSON.stringify(meta))],
  ]);
  if (pk !== null) r.set(100, pk);
  return r;
}

export function rows(n: number, start = 1n): Row[] {
  return Array.from({ length: n }, (_, i) => row(start + BigInt(i), [i, i + 0.5], `n${i}`, 20 + i, { tag: i % 2 ? 'odd' : 'even' }));
}

export async function waitFor<T>(fn: () => Promise<T>, ok: (t: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const x = await fn();
    if (ok(x)) return x;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out; last value ${JSON.stringify(x, (_, y) => (typeof y === 'bigint' ? y.toString() : y))}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
