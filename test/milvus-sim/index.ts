/**
 * The Milvus test server, in process: `startMilvusSim(opts)` → { address, port, managementUrl, version, stop }.
 * gRPC (MilvusService) and REST (/v2/vectordb) share one port; the management API has its own (Milvus: 9091).
 * The CLI wrapper is scripts/milvus-sim.ts (`npm run milvus-sim -- --port …`).
 */
import * as grpc from '@grpc/grpc-js';
import * as http from 'node:http';
import type { AddressInfo, Server as NetServer } from 'node:net';
import { join } from 'node:path';
import { SimState } from './state.js';
import { createGrpcServer } from './grpc/server.js';
import { createPortMux, destroyAllSockets } from './portMux.js';
import { createRestHandler } from './rest.js';
import { createManagementServer } from './management.js';
import { faultsFromEnv, type FaultSpec } from './faults.js';
import type { DataPlane } from './data/api.js';
import { createDataPlane, type DataPlaneOptions } from './data/index.js';
import { checkBucket } from './data/objectStore.js';

export interface MilvusSimOptions {
  /** 0 or undefined: a free port. */
  port?: number;
  managementPort?: number;
  /** Object storage the data plane writes binlogs to. */
  s3?: { endpoint: string; accessKey: string; secretKey: string; useSSL?: boolean };
  bucket?: string;
  rootPath?: string;
  /** Milvus release to behave as, e.g. "v2.5.14". */
  version: string;
  /** Where the catalog (and the data plane's metadata) persists across restarts. */
  dataDir: string;
  user?: string;
  password?: string;
  faults?: FaultSpec[];
  /**
   * The data plane: `undefined` → created from data/index.ts when it exists and s3 is given; `null` → none
   * (catalog/DDL only; data calls answer "service not ready"); or an instance.
   */
  dataPlane?: DataPlane | null;
  /**
   * How long the startup check of the object storage may take (default 5000 ms). Like Milvus, the server does
   * not start when it cannot reach `s3` (nothing listening, unknown host, no answer): startMilvusSim rejects.
   */
  storageCheckTimeoutMs?: number;
  /** Data plane tuning (segment size, GC interval, import pacing); see data/engine.ts DataPlaneOptions. */
  dataPlaneOptions?: Partial<Omit<DataPlaneOptions, 's3' | 'bucket' | 'rootPath' | 'dataDir' | 'version'>>;
}

export interface MilvusSimHandle {
  /** "127.0.0.1:PORT" — gRPC and REST. */
  address: string;
  port: number;
  managementUrl: string;
  version: string;
  state: SimState;
  stop(): Promise<void>;
}

async function loadDataPlane(o: MilvusSimOptions, state: SimState): Promise<DataPlane | undefined> {
  if (o.dataPlane === null) return undefined;
  if (o.dataPlane) return o.dataPlane;
  if (!o.s3 || !o.bucket) return undefined;
  // before anything listens: a server that cannot reach its object storage must not look ready
  await checkBucket(o.s3, o.bucket, o.storageCheckTimeoutMs ?? 5000);
  return createDataPlane({
    ...o.dataPlaneOptions,
    s3: { ...o.s3, useSSL: o.s3.useSSL ?? false },
    bucket: o.bucket,
    rootPath: o.rootPath ?? 'files',
    dataDir: join(o.dataDir, 'data'),
    version: { major: state.version.major, minor: state.version.minor, patch: state.version.patch },
  });
}

function listen(server: NetServer | http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.removeListener('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startMilvusSim(o: MilvusSimOptions): Promise<MilvusSimHandle> {
  // Milvus refuses to start on a bucket name S3 rejects; say so now rather than at the first flush.
  if (o.bucket !== undefined && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(o.bucket)) {
    throw new Error(`invalid bucket name "${o.bucket}": S3 bucket names have 3-63 lowercase letters, digits, dots or hyphens`);
  }
  const state = new SimState({
    version: o.version,
    dataDir: o.dataDir,
    user: o.user,
    password: o.password,
    faults: [...faultsFromEnv(process.env.MILVUS_SIM_FAULTS), ...(o.faults ?? [])],
  });
  const dp = await loadDataPlane(o, state);
  if (dp) state.attachDataPlane(dp);

  const grpcServer = createGrpcServer(state);
  const injector = grpcServer.createConnectionInjector(grpc.ServerCredentials.createInsecure());
  const restServer = http.createServer(createRestHandler(state));
  restServer.keepAliveTimeout = 5000;
  const mux = createPortMux({ grpc: (socket) => injector.injectConnection(socket), http: restServer });
  const mgmt = createManagementServer(state);
  let port: number;
  let mgmtPort: number;
  try {
    port = await listen(mux, o.port ?? 0);
    mgmtPort = await listen(mgmt, o.managementPort ?? 0);
  } catch (e) {
    // a port in use: release what started (the other port, the data plane's timers) before failing
    if (mux.listening) mux.close();
    injector.destroy();
    grpcServer.forceShutdown();
    if (state.dataPlane) await state.dataPlane.close().catch(() => undefined);
    throw e;
  }

  let stopped = false;
  return {
    address: `127.0.0.1:${port}`,
    port,
    managementUrl: `http://127.0.0.1:${mgmtPort}`,
    version: state.version.tag,
    state,
    async stop() {
      if (stopped) return;
      stopped = true;
      await new Promise<void>((r) => {
        mux.close(() => r());
        destroyAllSockets(mux);
      });
      injector.destroy();
      grpcServer.forceShutdown();
      restServer.closeAllConnections();
      restServer.close();
      mgmt.closeAllConnections();
      await new Promise<void>((r) => mgmt.close(() => r()));
      if (state.dataPlane) await state.dataPlane.close();
    },
  };
}

export { SimState } from './state.js';
