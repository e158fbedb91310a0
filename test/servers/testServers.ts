/**
 * The one test fixture: the embedded S3 server, Milvus test servers on it, official-SDK clients, backup.yaml
 * files for the CLI/engine, loaded configs and raw stores — and one `stop()` that closes and removes all of it
 * (every step runs even if an earlier one fails, so no server or temp dir outlives a test).
 *
 *   const t = await startTestServers({ buckets: ['bucket-a', 'bucket-b'] });
 *   const sim = await t.startSim({ name: 'a', bucket: 'bucket-a', version: 'v2.5.14' });
 *   const file = await t.writeConfig('a.yaml', { sim, milvusBucket: 'bucket-a', backupBucket: 'bucket-b' });
 *   const config = t.config(file);
 *   ...
 *   await t.stop();
 *
 * The suites' own helpers (test/unit/backup/simEnv.ts, test/unit/restore/simEnv.ts,
 * test/unit/milvus-sim/helpers.ts) are shapes built on this.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { loadConfigOrThrow, type ResolvedConfig } from '../../src/core/config';
import type { StorageConfig } from '../../src/core/config/types';
import { createObjectStore, type ObjectStore } from '../../src/core/storage';
import { startMilvusSim, type MilvusSimHandle, type MilvusSimOptions } from '../milvus-sim/index';
import { testServerYaml, type TestServerYaml } from './backupYaml';
import { startS3Server, type S3ServerHandle } from './s3';

export interface SimStart extends Partial<MilvusSimOptions> {
  /** names the sim's data dir under the fixture's temp dir (default sim-<n>) */
  name?: string;
  /** the bucket it keeps its data in */
  bucket: string;
}

export interface ConfigFor extends Partial<Omit<TestServerYaml, 'milvusAddress' | 's3Endpoint'>> {
  sim: MilvusSimHandle;
  milvusBucket: string;
  backupBucket: string;
}

export interface ClientOptions {
  database?: string;
  username?: string;
  password?: string;
}

export interface TestServers {
  s3: S3ServerHandle;
  /** temp dir of this fixture (sim data dirs, config files); removed by stop() */
  dir: string;
  /** the S3 credentials as the config loader reads them (MINIO_ACCESS_KEY / MINIO_SECRET_KEY): secrets stay out of files */
  env: NodeJS.ProcessEnv;
  sims: MilvusSimHandle[];
  /** Starts a Milvus test server on the fixture's S3 server (data plane `importStepMs` 10, rootPath `files`). */
  startSim(o: SimStart): Promise<MilvusSimHandle>;
  /** An official-SDK client of `sim`, closed by stop(). */
  client(sim: MilvusSimHandle, o?: ClientOptions): MilvusClient;
  /** Writes `<dir>/<file>`, a v1 backup.yaml for `sim` (test/servers/backupYaml.ts), and returns its path. */
  writeConfig(file: string, o: ConfigFor): Promise<string>;
  /** Loads a config file with the fixture's env; a config with errors throws. */
  config(path: string, set?: string[]): ResolvedConfig;
  /** The StorageConfig of the S3 server (any bucket), for raw stores. */
  storage(bucket?: string): StorageConfig;
  /** A raw store on the S3 server, closed by stop(). */
  store(): ObjectStore;
  /** Runs `fn` in stop(), before the servers stop (clients of the suite's own, extra servers). */
  onStop(fn: () => Promise<unknown> | unknown): void;
  stop(): Promise<void>;
}

export async function startTestServers(o: { buckets?: string[]; s3?: S3ServerHandle; tmpPrefix?: string } = {}): Promise<TestServers> {
  const s3 = o.s3 ?? (await startS3Server({ buckets: o.buckets ?? ['bucket-a', 'bucket-b'] }));
  const dir = await mkdtemp(join(tmpdir(), o.tmpPrefix ?? 'test-servers-'));
  const clients: MilvusClient[] = [];
  const stores: ObjectStore[] = [];
  const hooks: Array<() => Promise<unknown> | unknown> = [];
  const env = { MINIO_ACCESS_KEY: s3.accessKey, MINIO_SECRET_KEY: s3.secretKey };
  const storage = (bucket = ''): StorageConfig => ({
    provider: 'minio', address: s3.host, port: s3.port, region: '', useSSL: false, accountName: '', bucketName: bucket, rootPath: '', localPath: '',
    auth: { type: 'static', accessKeyID: s3.accessKey, secretAccessKey: s3.secretKey, sessionToken: '', accountKey: '', credentialsFile: '', endpoint: '' },
  });
  const t: TestServers = {
    s3, dir, env, sims: [],
    async startSim({ name, bucket, ...extra }) {
      const sim = await startMilvusSim({
        version: 'v2.5.14',
        dataDir: join(dir, name ? `sim-${name}` : `sim-${t.sims.length}`),
        s3: { endpoint: s3.endpoint, accessKey: s3.accessKey, secretKey: s3.secretKey },
        bucket,
        rootPath: 'files',
        dataPlaneOptions: { importStepMs: 10 },
        ...extra,
      });
      t.sims.push(sim);
      return sim;
    },
    client(sim, co = {}) {
      const c = new MilvusClient({ address: sim.address, logLevel: 'error', ...co });
      clients.push(c);
      return c;
    },
    async writeConfig(file, { sim, ...rest }) {
      const path = join(dir, file);
      await writeFile(path, testServerYaml({ milvusAddress: sim.address, s3Endpoint: s3.endpoint, ...rest }));
      return path;
    },
    config(path, set = []) {
      return loadConfigOrThrow({ file: path, fileExplicit: true, env, set }).config;
    },
    storage,
    store() {
      const s = createObjectStore(storage());
      stores.push(s);
      return s;
    },
    onStop(fn) {
      hooks.push(fn);
    },
    async stop() {
      const errors: unknown[] = [];
      for (const h of hooks) await Promise.resolve().then(h).catch((e: unknown) => errors.push(e));
      for (const c of clients) await c.closeConnection().catch(() => undefined);
      for (const s of stores) await s.close().catch(() => undefined);
      for (const s of t.sims) await s.stop().catch((e: unknown) => errors.push(e));
      if (!o.s3) await s3.stop().catch((e: unknown) => errors.push(e));
      await rm(dir, { recursive: true, force: true });
      if (errors.length) throw errors[0];
    },
  };
  return t;
}
