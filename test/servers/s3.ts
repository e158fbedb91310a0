import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { existsSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

/**
 * The embedded S3 server for tests and the demo: s3rver from npm, patched by `patches/s3rver+3.7.1+*.patch`
 * (applied by patch-package on `npm install`) so that V2 listing past 1000 keys, deep common prefixes, S3 key
 * order and large batch deletes work. It accepts only the access key `S3RVER` and never checks signatures.
 */
export interface S3ServerHandle {
  /** "127.0.0.1:PORT", as the config's address:port. */
  endpoint: string;
  host: string;
  port: number;
  accessKey: string;
  secretKey: string;
  /** The directory holding the buckets (one directory per bucket). */
  dir: string;
  stop(): Promise<void>;
}

export interface EmbeddedS3Handle extends S3ServerHandle {
  /** An outage: every open connection is cut at once (requests in flight fail), then the server stops. Data stays. */
  kill(): Promise<void>;
}

export interface S3ServerOptions {
  buckets?: string[];
  /** Where the data lives; default: a fresh temp dir (under /dev/shm when it exists), removed on stop. */
  dir?: string;
  /** Fixed port; default 0 (a free one). */
  port?: number;
}

export const S3RVER_ACCESS_KEY = 'S3RVER';
export const S3RVER_SECRET_KEY = 'S3RVER';

/**
 * RAM-backed temp space keeps s3rver's many small files off the disk (benchmark figures varied 2× on ext4) —
 * unless /dev/shm is small (containers default to 64 MB), where tests writing tens of MiB would hit ENOSPC.
 */
export function fastTmpRoot(): string {
  try {
    if (existsSync('/dev/shm')) {
      const fs = statfsSync('/dev/shm');
      if (fs.bavail * fs.bsize >= 2 * 1024 ** 3) return '/dev/shm';
    }
  } catch {
    // no statfs here: fall back to the ordinary temp dir
  }
  return tmpdir();
}

export async function startS3Server(o: S3ServerOptions = {}): Promise<EmbeddedS3Handle> {
  const ownDir = o.dir === undefined;
  const dir = o.dir ?? (await mkdtemp(join(fastTmpRoot(), 's3rver-')));
  await mkdir(dir, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: o.port ?? 0,
    directory: dir,
    silent: true,
    // path-style only: a host of 127.0.0.1 must never be read as "<bucket>.<service endpoint>"
    vhostBuckets: false,
    configureBuckets: (o.buckets ?? []).map((name) => ({ name })),
  });
  let info: { port: number };
  try {
    info = await server.run();
  } catch (e) {
    if (ownDir) await rm(dir, { recursive: true, force: true });
    throw e;
  }
  // keep-alive sockets from clients would hold close() open; end idle ones so stop() is prompt
  const http = server.httpServer;
  let stopped = false;
  return {
    endpoint: `127.0.0.1:${info.port}`,
    host: '127.0.0.1',
    port: info.port,
    accessKey: S3RVER_ACCESS_KEY,
    secretKey: S3RVER_SECRET_KEY,
    dir,
    async kill() {
      if (stopped) return;
      stopped = true;
      const closing = server.close();
      http?.closeAllConnections();
      await closing;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      const closing = server.close();
      http?.closeIdleConnections();
      const t = setTimeout(() => http?.closeAllConnections(), 2000);
      try {
        await closing;
      } finally {
        clearTimeout(t);
        if (ownDir) await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
