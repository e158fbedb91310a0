// The services the extension-host suites need, started by the launcher before the VS Code server (see
// test/harness/services.ts); each hook's env reaches the suites as process.env. Add one by appending a hook:
//   { name, async start({ tmpDir, env, log }) { ...; return { env: { MY_VAR: address }, stop } } }
// Servers are imported when started, so a suite run that needs none never loads them.
import type { ServiceHook } from '../harness/services';

/** Env names the suites read (one place, so a suite and its hook can't drift apart). */
export const serviceEnv = {
  s3Endpoint: 'MILVUS_BACKUP_TEST_S3_ENDPOINT', // "127.0.0.1:PORT", path-style, no TLS
  s3AccessKey: 'MILVUS_BACKUP_TEST_S3_ACCESS_KEY',
  s3SecretKey: 'MILVUS_BACKUP_TEST_S3_SECRET_KEY',
  milvusBucket: 'MILVUS_BACKUP_TEST_MILVUS_BUCKET', // where the Milvus test server keeps its binlogs
  backupBucket: 'MILVUS_BACKUP_TEST_BACKUP_BUCKET', // an empty bucket for backups
  milvusAddress: 'MILVUS_BACKUP_TEST_MILVUS_ADDRESS', // "127.0.0.1:PORT", gRPC and REST
  milvusVersion: 'MILVUS_BACKUP_TEST_MILVUS_VERSION',
  milvusManagementUrl: 'MILVUS_BACKUP_TEST_MILVUS_MANAGEMENT_URL', // "http://127.0.0.1:PORT": GC pause and the test server's /sim/faults
} as const;

/** The embedded S3 server (test/servers/s3.ts) with a bucket for Milvus and one for backups. */
export function s3Service(): ServiceHook {
  return {
    name: 's3',
    async start() {
      const { startS3Server } = await import('../servers/s3.js');
      const s3 = await startS3Server({ buckets: ['milvus-bucket', 'backup-bucket'] });
      // s3rver's own temp dir: removed by stop(), or by the launcher's watchdog if the launcher is SIGKILLed.
      const watched = (await import('../harness/watchdog.js')).watchDir(s3.dir);
      return {
        env: {
          [serviceEnv.s3Endpoint]: s3.endpoint,
          [serviceEnv.s3AccessKey]: s3.accessKey,
          [serviceEnv.s3SecretKey]: s3.secretKey,
          [serviceEnv.milvusBucket]: 'milvus-bucket',
          [serviceEnv.backupBucket]: 'backup-bucket',
        },
        stop: async () => {
          await s3.stop();
          watched.forget();
        },
      };
    },
  };
}

/** The Milvus test server (test/milvus-sim), storing into s3Service's bucket: list it after s3Service. */
export function milvusService(version = 'v2.5.14'): ServiceHook {
  return {
    name: 'milvus',
    async start({ tmpDir, env }) {
      const endpoint = env[serviceEnv.s3Endpoint];
      if (!endpoint) throw new Error('milvusService needs s3Service before it in the services list');
      const { startMilvusSim } = await import('../milvus-sim/index.js');
      const sim = await startMilvusSim({
        version,
        dataDir: tmpDir,
        s3: { endpoint, accessKey: env[serviceEnv.s3AccessKey], secretKey: env[serviceEnv.s3SecretKey] },
        bucket: env[serviceEnv.milvusBucket],
        rootPath: 'files',
      });
      return {
        env: { [serviceEnv.milvusAddress]: sim.address, [serviceEnv.milvusVersion]: sim.version, [serviceEnv.milvusManagementUrl]: sim.managementUrl },
        stop: () => sim.stop(),
      };
    },
  };
}

/** Env names of the explorer suites' extra services (kept apart from serviceEnv, which the harness owns). */
export const explorerEnv = {
  milvusBAddress: 'MILVUS_BACKUP_TEST_MILVUS_B_ADDRESS', // a second, empty Milvus test server ("milvus_B")
  sampleCollections: 'MILVUS_BACKUP_TEST_SAMPLE_COLLECTIONS', // JSON of the sample collections filled into milvus A
} as const;

/** A second Milvus test server (milvus_B, empty), keeping its data under files-b in the same bucket. */
export function milvusBService(version = 'v2.5.14'): ServiceHook {
  return {
    name: 'milvus-b',
    async start({ tmpDir, env }) {
      const { startMilvusSim } = await import('../milvus-sim/index.js');
      const sim = await startMilvusSim({
        version,
        dataDir: tmpDir,
        s3: { endpoint: env[serviceEnv.s3Endpoint]!, accessKey: env[serviceEnv.s3AccessKey], secretKey: env[serviceEnv.s3SecretKey] },
        bucket: env[serviceEnv.milvusBucket],
        rootPath: 'files-b',
      });
      return { env: { [explorerEnv.milvusBAddress]: sim.address }, stop: () => sim.stop() };
    },
  };
}

/** Fills milvusService's server with the playground's sample collections (list it after milvusService). */
export function sampleDataService(): ServiceHook {
  return {
    name: 'sample-data',
    async start({ env }) {
      const { fillSampleData, SAMPLE_COLLECTIONS } = await import('../../scripts/playground/sample.js');
      await fillSampleData(env[serviceEnv.milvusAddress]!);
      return { env: { [explorerEnv.sampleCollections]: JSON.stringify(SAMPLE_COLLECTIONS) }, stop: () => undefined };
    },
  };
}

/** Env names of the real-Milvus suite (suites/realMilvus.test.ts). */
export const realMilvusEnv = {
  address: 'MILVUS_BACKUP_TEST_REAL_MILVUS_ADDRESS', // a REAL Milvus 2.3.5 (test/servers/realMilvus.ts)
  managementUrl: 'MILVUS_BACKUP_TEST_REAL_MILVUS_MANAGEMENT_URL',
  version: 'MILVUS_BACKUP_TEST_REAL_MILVUS_VERSION',
} as const;

/**
 * A real Milvus (the embedded Milvus 2.3.5 from PyPI) storing under files-real in s3Service's Milvus bucket,
 * with `real_coll` (two partitions, 300 rows in sealed segments, an index, loaded) and `real_empty`.
 */
export function realMilvusService(): ServiceHook {
  return {
    name: 'real-milvus',
    async start({ env }) {
      const { startRealMilvus } = await import('../servers/realMilvus.js');
      const m = await startRealMilvus({
        s3: { endpoint: env[serviceEnv.s3Endpoint]!, accessKey: env[serviceEnv.s3AccessKey]!, secretKey: env[serviceEnv.s3SecretKey]! },
        bucket: env[serviceEnv.milvusBucket]!,
        rootPath: 'files-real',
        name: 'ext',
      });
      try {
        const { fillRealExplorerData } = await import('./realData.js');
        await fillRealExplorerData(m.address);
      } catch (e) {
        await m.stop();
        throw e;
      }
      return {
        env: { [realMilvusEnv.address]: m.address, [realMilvusEnv.managementUrl]: m.managementUrl, [realMilvusEnv.version]: m.version },
        stop: () => m.stop(),
      };
    },
  };
}

export const services: ServiceHook[] = [s3Service(), milvusService(), milvusBService(), sampleDataService(), realMilvusService()];
