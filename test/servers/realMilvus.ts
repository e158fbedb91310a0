// A real Milvus for the tests: the standalone binary shipped in the PyPI package `milvus` (embedded Milvus
// 2.3.x, with embedded etcd and rocksmq), its binlogs in one of our S3 servers exactly as a production Milvus
// writes them. Installed on first use into a venv under peersDir() (pinned version); started by
// realMilvus.py, which uses the package's own config writer and binary unpacker (see that file for why it
// does not call MilvusServer.start()). Every listen port is chosen free here, so any number of instances run
// side by side; each instance is stopped, and its data dir removed, on every exit path (the harness watchdog
// stops what a SIGKILLed test run leaves).
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fastTmpRoot } from './s3';
import { installOnce, runStep } from './peers';
import { watchDir, watchPid, type Watched } from '../harness/watchdog';

/** The pinned package: 2.3.5 is the newest `milvus` on PyPI (its binary is Milvus v2.3.5, built 2024-01-19). */
export const REAL_MILVUS_PACKAGE_VERSION = '2.3.5';
const PYTHON = process.env.MILVUS_BACKUP_PYTHON ?? 'python3.11';

export interface RealMilvusOptions {
  /** Milvus's own object storage (`minio.*` of milvus.yaml). */
  s3: { endpoint: string; accessKey: string; secretKey: string; useSSL?: boolean };
  bucket: string;
  /** `minio.rootPath`; default `files`, as Milvus's own default. */
  rootPath?: string;
  /** Where data and logs live; default a fresh temp dir, removed on stop. */
  dataDir?: string;
  /** gRPC port; default a free one. */
  port?: number;
  /** Management (metrics, /healthz, GC pause) HTTP port; default a free one. */
  managementPort?: number;
  /** With a user, authorization is on (`common.security.authorizationEnabled`); root's password is set to it. */
  user?: string;
  password?: string;
  /** A name for logs and the pid file (`/run/milvus/standalone-<alias>.pid`). */
  name?: string;
  /** More `dotted.key=value` settings of milvus.yaml (keys the template has). */
  set?: string[];
}

export interface RealMilvusHandle {
  /** "127.0.0.1:PORT" */
  address: string;
  port: number;
  /** "http://127.0.0.1:PORT" of the management API. */
  managementUrl: string;
  managementPort: number;
  /** What GetVersion answers, e.g. "v2.3.5-lite". */
  version: string;
  dataDir: string;
  pid: number;
  /** The last lines of Milvus's output, for a failure message. */
  logTail(): Promise<string>;
  stop(): Promise<void>;
}

/** The venv with the pinned package; returns its python. */
export async function ensureRealMilvus(): Promise<string> {
  const dir = await installOnce(`milvus-${REAL_MILVUS_PACKAGE_VERSION}`, (d) => {
    runStep(PYTHON, ['-m', 'venv', join(d, 'venv')]);
    runStep(join(d, 'venv', 'bin', 'pip'), ['install', '--disable-pip-version-check', '--no-input', `milvus==${REAL_MILVUS_PACKAGE_VERSION}`]);
  });
  return join(dir, 'venv', 'bin', 'python');
}

/** Ports Milvus 2.3's template names (`*_port` keys of the package's config.yaml.template). */
const TEMPLATE_PORTS = [
  'etcd_port', 'root_coord_port', 'proxy_port', 'proxy_internal_port', 'query_coord_port', 'query_node_port',
  'index_coord_port', 'index_node_port', 'data_coord_port', 'data_node_port',
] as const;

/** n distinct free ports, held open together so none is handed out twice, then released. */
async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: n }, () => new Promise<ReturnType<typeof createServer>>((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => res(s));
  })));
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

let seq = 0;

/**
 * Starts one instance. A start that fails is tried once more with fresh ports: the ports are chosen free
 * here and bound by Milvus a moment later, so another process can take one in between (seen under load as
 * an embedded-etcd "address already in use" abort).
 */
export async function startRealMilvus(o: RealMilvusOptions): Promise<RealMilvusHandle> {
  try {
    return await startOnce(o);
  } catch (first) {
    if (o.port !== undefined || o.managementPort !== undefined) throw first; // fixed ports: nothing to vary
    try {
      return await startOnce(o);
    } catch (second) {
      throw new Error(`${(second as Error).message}\n(an earlier attempt failed too: ${(first as Error).message.split('\n')[0]})`);
    }
  }
}

async function startOnce(o: RealMilvusOptions): Promise<RealMilvusHandle> {
  const python = await ensureRealMilvus();
  const ownDir = o.dataDir === undefined;
  const dataDir = o.dataDir ?? (await mkdtemp(join(fastTmpRoot(), 'real-milvus-')));
  const dirWatch = ownDir ? watchDir(dataDir) : undefined;
  const [port, managementPort, peerPort, ...rest] = await freePorts(3 + TEMPLATE_PORTS.length);
  const grpcPort = o.port ?? port;
  const mgmtPort = o.managementPort ?? managementPort;
  const ports = TEMPLATE_PORTS.map((k, i) => `${k}=${k === 'proxy_port' ? grpcPort : rest[i]}`);
  const [host, s3Port] = splitEndpoint(o.s3.endpoint);
  const settings = [
    'common.storageType=minio',
    `minio.address=${host}`,
    `minio.port=${s3Port}`,
    `minio.accessKeyID=${o.s3.accessKey}`,
    `minio.secretAccessKey=${o.s3.secretKey}`,
    `minio.useSSL=${o.s3.useSSL ? 'true' : 'false'}`,
    `minio.bucketName=${o.bucket}`,
    `minio.rootPath=${o.rootPath ?? 'files'}`,
    ...(o.user ? ['common.security.authorizationEnabled=true'] : []),
    ...(o.set ?? []),
  ];
  const alias = `${(o.name ?? 'real').replace(/[^A-Za-z0-9_-]/g, '_')}-${process.pid}-${++seq}`;
  const args = [
    join(__dirname, 'realMilvus.py'),
    '--data', dataDir,
    '--alias', alias,
    '--metrics-port', String(mgmtPort),
    '--etcd-peer-port', String(peerPort),
    ...ports.flatMap((p) => ['--port', p]),
    ...settings.flatMap((s) => ['--set', s]),
  ];
  const logPath = join(dataDir, 'milvus-output.log');
  const { child, pidWatch } = await spawnLogged(python, args, logPath);
  const handle = makeHandle(child, pidWatch, dirWatch, { dataDir, ownDir, logPath, grpcPort, mgmtPort });
  try {
    await waitReady(handle, child);
    const auth = o.user ? await setUpAuth(handle.address, o.user, o.password ?? 'Milvus') : undefined;
    handle.version = await getVersion(handle.address, auth);
    return handle;
  } catch (e) {
    const tail = await handle.logTail();
    await handle.stop();
    throw new Error(`real Milvus did not start: ${(e as Error).message}\n--- last lines of its output ---\n${tail}`);
  }
}

function splitEndpoint(endpoint: string): [string, string] {
  const i = endpoint.lastIndexOf(':');
  if (i < 0) throw new Error(`S3 endpoint "${endpoint}" has no port`);
  return [endpoint.slice(0, i), endpoint.slice(i + 1)];
}

async function spawnLogged(cmd: string, args: string[], logPath: string): Promise<{ child: ChildProcess; pidWatch: Watched }> {
  const out = createWriteStream(logPath);
  await new Promise((r) => out.once('open', r));
  // stdin a pipe we never write: realMilvus.py execs Milvus, which ignores stdin; the watchdog is what stops
  // it when this process dies.
  const child = spawn(cmd, args, { stdio: ['ignore', out, out] });
  if (!child.pid) throw new Error(`could not start ${cmd}`);
  return { child, pidWatch: watchPid(child.pid) };
}

interface HandleState { dataDir: string; ownDir: boolean; logPath: string; grpcPort: number; mgmtPort: number }

function makeHandle(child: ChildProcess, pidWatch: Watched, dirWatch: Watched | undefined, s: HandleState): RealMilvusHandle {
  let stopping: Promise<void> | undefined;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    address: `127.0.0.1:${s.grpcPort}`,
    port: s.grpcPort,
    managementUrl: `http://127.0.0.1:${s.mgmtPort}`,
    managementPort: s.mgmtPort,
    version: '',
    dataDir: s.dataDir,
    pid: child.pid!,
    async logTail() {
      const text = existsSync(s.logPath) ? await readFile(s.logPath, 'utf8').catch(() => '') : '';
      return text.split('\n').filter((l) => /ERROR|panic|fatal|Error/i.test(l) || l.length < 200).slice(-30).join('\n');
    },
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          // Milvus stops its components one by one on SIGTERM; 2.3.5 often takes over 15 s (measured), and the
          // data dir goes anyway, so past 5 s it is killed.
          const graceful = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
          if (!graceful) {
            child.kill('SIGKILL');
            await exited;
          }
        }
        pidWatch.forget();
        if (s.ownDir) {
          await rm(s.dataDir, { recursive: true, force: true });
          dirWatch?.forget();
        }
      })();
      return stopping;
    },
  };
}

/** /healthz answers OK once every component is up (Milvus internal/http/healthz); then the proxy must answer. */
async function waitReady(h: RealMilvusHandle, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`it exited (${child.exitCode ?? child.signalCode})`);
    try {
      const r = await fetch(`${h.managementUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (r.ok && (await r.text()).includes('OK')) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error('/healthz did not answer OK within 180 s');
}

async function withClient<T>(address: string, auth: { username: string; password: string } | undefined, fn: (c: import('@zilliz/milvus2-sdk-node').MilvusClient) => Promise<T>): Promise<T> {
  const { MilvusClient } = await import('@zilliz/milvus2-sdk-node');
  const c = new MilvusClient({ address, ...(auth ?? {}), logLevel: 'error' } as ConstructorParameters<typeof MilvusClient>[0]);
  try {
    return await fn(c);
  } finally {
    await c.closeConnection().catch(() => undefined);
  }
}

async function getVersion(address: string, auth?: { username: string; password: string }): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const v = await withClient(address, auth, (c) => c.getVersion());
      if (v.version) return v.version;
      throw new Error(JSON.stringify(v));
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`GetVersion failed: ${(e as Error).message}`);
      await sleep(500);
    }
  }
}

/**
 * Milvus always has `root` (default password `Milvus`, common.security.defaultRootPassword): for user root its
 * password is changed; another user is created with that password and the admin role.
 */
async function setUpAuth(address: string, user: string, password: string): Promise<{ username: string; password: string }> {
  const root = { username: 'root', password: 'Milvus' };
  const check = (what: string, r: { error_code?: string | number; reason?: string }) => {
    if (r.error_code !== 'Success') throw new Error(`${what} failed: ${r.reason}`);
  };
  await getVersion(address, root);
  await withClient(address, root, async (c) => {
    if (user === 'root') {
      if (password !== 'Milvus') check('setting root\'s password', await c.updateUser({ username: 'root', oldPassword: 'Milvus', newPassword: password }));
    } else {
      check(`creating user ${user}`, await c.createUser({ username: user, password }));
      check(`granting admin to ${user}`, await c.addUserToRole({ username: user, roleName: 'admin' }));
    }
  });
  return { username: user, password };
}
