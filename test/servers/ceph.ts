import { waitHttp } from './waitHttp';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3ServerHandle } from './s3';

/**
 * A real production S3 server for the storage suite: Ceph RGW 16 from Debian, single node (one monitor, one
 * memstore OSD, radosgw, no manager), everything on 127.0.0.1 with free ports and all state in one temp dir.
 * Recipe and the settings that matter: docs/local-servers.md (ms_mon_client_mode=crc, tcp_nodelay=1, pool
 * size 1). Ready in ~15 s; start it once per test file.
 */
export const CEPH_PACKAGES = ['radosgw', 'ceph-mon', 'ceph-osd'];
const CEPH_TOOLS = ['radosgw', 'radosgw-admin', 'ceph-mon', 'ceph-osd', 'ceph', 'monmaptool', 'ceph-authtool'];

export interface CephOptions {
  buckets?: string[];
  /** memstore capacity (RAM, used only as data arrives). Default 3 GiB. */
  memstoreBytes?: number;
  /** Called with progress lines (install, daemons up), e.g. for a test's diagnostic output. */
  log?: (line: string) => void;
}

export interface CephHandle extends S3ServerHandle {
  /** Restarts radosgw alone (0.3 s), e.g. to test reconnects. */
  restartGateway(): Promise<void>;
}

function missingTools(): string[] {
  return CEPH_TOOLS.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`], { stdio: 'ignore' }).status !== 0);
}

/**
 * Installs the Debian packages when a tool is missing (CI runs as root on a fresh machine). Serialised with a
 * lock file so parallel test files do not fight over dpkg's lock.
 */
export function ensureCephInstalled(log: (l: string) => void = () => {}): void {
  if (missingTools().length === 0) return;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot) {
    throw new Error(
      `Ceph RGW is needed by the storage suite but ${missingTools().join(', ')} missing; install it with: ` +
        `sudo apt-get update && sudo apt-get install -y --no-install-recommends ${CEPH_PACKAGES.join(' ')}`,
    );
  }
  log(`installing ${CEPH_PACKAGES.join(' ')} from Debian (~30 s)`);
  const script =
    `command -v radosgw >/dev/null && command -v ceph-osd >/dev/null && command -v ceph-mon >/dev/null && exit 0; ` +
    `apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ${CEPH_PACKAGES.join(' ')}`;
  const r = spawnSync('flock', ['/tmp/milvus-backup-ceph-install.lock', 'sh', '-c', script], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 15 * 60_000,
  });
  if (r.status !== 0) throw new Error(`installing Ceph failed (exit ${r.status}): ${(r.stderr || r.stdout || '').slice(-2000)}`);
  const still = missingTools();
  if (still.length) throw new Error(`after installing ${CEPH_PACKAGES.join(' ')}, still missing: ${still.join(', ')}`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function run(cmd: string, args: string[], dir: string): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: dir, timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}): ${(r.stderr || r.stdout || '').slice(-2000)}`);
  return r.stdout;
}


export async function startCeph(o: CephOptions = {}): Promise<CephHandle> {
  const log = o.log ?? (() => {});
  ensureCephInstalled(log);
  const dir = await mkdtemp(join(tmpdir(), 'ceph-'));
  const procs = new Map<string, ChildProcess>();
  const exited = new Map<string, string>();
  const conf = join(dir, 'ceph.conf');

  const daemon = (name: string, cmd: string, args: string[]) => {
    const out = createWriteStream(join(dir, 'log', `${name}.stdout`));
    const p = spawn(cmd, [...args, '-f', '-c', conf], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    p.stdout!.pipe(out);
    p.stderr!.pipe(out);
    p.once('exit', (code, sig) => exited.set(name, `${name} exited (${code ?? sig}); see ${join(dir, 'log')}`));
    procs.set(name, p);
    return p;
  };
  const stopAll = async () => {
    const waits = [...procs.entries()].map(
      ([name, p]) =>
        new Promise<void>((resolve) => {
          if (p.exitCode !== null || p.signalCode !== null || exited.has(name)) return resolve();
          p.once('exit', () => resolve());
          // all state is thrown away with the dir, so there is nothing to shut down cleanly
          p.kill('SIGKILL');
        }),
    );
    await Promise.all(waits);
    procs.clear();
  };

  try {
    await Promise.all(['mon', 'osd', 'run', 'log', 'rgw', 'crash'].map((d) => mkdir(join(dir, d), { recursive: true })));
    const [monPort, rgwPort] = [await freePort(), await freePort()];
    const fsid = randomUUID();
    const accessKey = 'AK' + randomBytes(8).toString('hex').toUpperCase();
    const secretKey = randomBytes(20).toString('base64url');
    await writeFile(
      conf,
      [
        '[global]',
        `fsid = ${fsid}`,
        `mon_host = [v2:127.0.0.1:${monPort}]`,
        'public_addr = 127.0.0.1',
        'cluster_addr = 127.0.0.1',
        'auth_cluster_required = none',
        'auth_service_required = none',
        'auth_client_required = none',
        // radosgw's default "secure" mode with auth none hangs 300 s fetching the mon config
        'ms_mon_client_mode = crc',
        'ms_client_mode = crc',
        `run_dir = ${dir}/run`,
        `admin_socket = ${dir}/run/$name.asok`,
        `pid_file = ${dir}/run/$name.pid`,
        `log_file = ${dir}/log/$name.log`,
        `mon_cluster_log_file = ${dir}/log/cluster.log`,
        `crash_dir = ${dir}/crash`,
        `keyring = ${dir}/keyring`,
        'log_to_stderr = false',
        'err_to_stderr = true',
        'osd_pool_default_size = 1',
        'osd_pool_default_min_size = 1',
        'mon_allow_pool_size_one = true',
        'mon_warn_on_pool_no_redundancy = false',
        'osd_pool_default_pg_num = 8',
        'osd_pool_default_pgp_num = 8',
        'osd_pool_default_pg_autoscale_mode = off',
        'osd_crush_chooseleaf_type = 0',
        'mon_max_pg_per_osd = 1000',
        // a test machine's nearly full /tmp must not make the monitor shut itself down
        'mon_data_avail_crit = 0',
        'mon_data_avail_warn = 0',
        // the monitor batches map changes for 1 s by default; radosgw creates ~8 pools one after another
        'paxos_propose_interval = 0.05',
        'paxos_min_wait = 0.01',
        '',
        '[mon.a]',
        `mon_data = ${dir}/mon`,
        '',
        '[osd]',
        `osd_data = ${dir}/osd`,
        'osd_objectstore = memstore',
        `memstore_device_bytes = ${o.memstoreBytes ?? 3 * 1024 ** 3}`,
        '',
        '[client.rgw]',
        // without tcp_nodelay each response with a body waits ~45 ms for delayed ACKs
        `rgw_frontends = beast endpoint=127.0.0.1:${rgwPort} tcp_nodelay=1`,
        `rgw_data = ${dir}/rgw`,
        'rgw_dns_name = 127.0.0.1',
        '',
      ].join('\n'),
    );

    run('ceph-authtool', ['--create-keyring', join(dir, 'keyring'), '--gen-key', '-n', 'mon.', '--cap', 'mon', 'allow *'], dir);
    run('monmaptool', ['--create', '--fsid', fsid, '--addv', 'a', `[v2:127.0.0.1:${monPort}]`, join(dir, 'monmap')], dir);
    run('ceph-mon', ['-c', conf, '--mkfs', '-i', 'a', '--monmap', join(dir, 'monmap'), '--keyring', join(dir, 'keyring')], dir);
    daemon('mon.a', 'ceph-mon', ['-i', 'a']);
    log('ceph-mon started');

    const osdUuid = randomUUID();
    const id = run('ceph', ['-c', conf, '--connect-timeout', '30', 'osd', 'new', osdUuid], dir).trim();
    if (id !== '0') throw new Error(`expected osd id 0, got "${id}"`);
    run('ceph-osd', ['-c', conf, '-i', '0', '--mkfs', '--osd-uuid', osdUuid], dir);
    daemon('osd.0', 'ceph-osd', ['-i', '0']);
    log('ceph-osd started');

    daemon('client.rgw', 'radosgw', ['-n', 'client.rgw']);
    await waitHttp(rgwPort, 90_000, () => (exited.size ? [...exited.values()].join('; ') : undefined), 'radosgw');
    log('radosgw serving');
    const tUser = Date.now();
    run(
      'radosgw-admin',
      ['-c', conf, 'user', 'create', '--uid', 'tester', '--display-name', 'tester', '--access-key', accessKey, '--secret-key', secretKey],
      dir,
    );
    log(`S3 user created in ${Date.now() - tUser} ms`);

    const handle: CephHandle = {
      endpoint: `127.0.0.1:${rgwPort}`,
      host: '127.0.0.1',
      port: rgwPort,
      accessKey,
      secretKey,
      dir,
      async restartGateway() {
        const p = procs.get('client.rgw');
        if (p && p.exitCode === null) {
          await new Promise<void>((resolve) => {
            p.once('exit', () => resolve());
            p.kill('SIGTERM');
          });
        }
        exited.delete('client.rgw');
        daemon('client.rgw', 'radosgw', ['-n', 'client.rgw']);
        await waitHttp(rgwPort, 60_000, () => exited.get('client.rgw'), 'radosgw');
      },
      async stop() {
        await stopAll();
        await rm(dir, { recursive: true, force: true });
      },
    };
    if (o.buckets?.length) await createBuckets(handle, o.buckets);
    return handle;
  } catch (e) {
    const logs = await readFile(join(dir, 'log', 'client.rgw.log'), 'utf8').catch(() => '');
    await stopAll();
    await rm(dir, { recursive: true, force: true });
    if (logs && e instanceof Error) e.message += `\n--- radosgw log tail ---\n${logs.slice(-1500)}`;
    throw e;
  }
}

/** Creates buckets with a plain minio client (the store layer is what the suite tests, not the setup). */
async function createBuckets(h: S3ServerHandle, buckets: string[]): Promise<void> {
  const Minio = await import('minio');
  const c = new Minio.Client({ endPoint: h.host, port: h.port, useSSL: false, accessKey: h.accessKey, secretKey: h.secretKey, region: 'us-east-1' });
  for (const b of buckets) if (!(await c.bucketExists(b))) await c.makeBucket(b, 'us-east-1');
}
