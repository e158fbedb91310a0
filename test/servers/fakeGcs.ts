import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ceph';
import { waitHttp } from './waitHttp';

/**
 * fake-gcs-server (github.com/fsouza/fake-gcs-server, the GCS emulator the Go and Node client libraries test
 * against) as a child process on 127.0.0.1 with a free port and an in-memory backend. It speaks the JSON API
 * (`/storage/v1/…`, `/upload/storage/v1/…`, rewrite for copies) without checking credentials.
 *
 * The binary is built once with the Go toolchain into a cache directory outside the repository
 * (`$MILVUS_BACKUP_TEST_CACHE`, default `~/.cache/milvus-backup-tests`), serialised by a lock file so parallel
 * test files build it once. `go install MODULE@VERSION` asks the proxy for the module's version list, which
 * some proxies refuse; then the module is fetched by exact version (`go mod download -json`) and built inside
 * the module cache directory.
 */
export const FAKE_GCS_MODULE = 'github.com/fsouza/fake-gcs-server';
export const FAKE_GCS_VERSION = 'v1.56.1';

export interface FakeGcsHandle {
  host: string;
  port: number;
  /** `http://127.0.0.1:PORT`, the client's apiEndpoint. */
  url: string;
  stop(): Promise<void>;
}

function cacheDir(): string {
  return process.env.MILVUS_BACKUP_TEST_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'milvus-backup-tests');
}

/** Path of the fake-gcs-server binary, building it on first use. */
export function ensureFakeGcs(log: (l: string) => void = () => {}): string {
  const dir = join(cacheDir(), `fake-gcs-server-${FAKE_GCS_VERSION}`);
  const bin = join(dir, 'fake-gcs-server');
  if (existsSync(bin)) return bin;
  if (spawnSync('sh', ['-c', 'command -v go'], { stdio: 'ignore' }).status !== 0) {
    throw new Error(`fake-gcs-server is needed by the GCS tests; install Go (https://go.dev/dl/) so they can build ${FAKE_GCS_MODULE}@${FAKE_GCS_VERSION}`);
  }
  mkdirSync(dir, { recursive: true });
  log(`building ${FAKE_GCS_MODULE}@${FAKE_GCS_VERSION} into ${dir} (once, ~1 min)`);
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  // under the lock: check again, then go install, else download the exact version and build it in place
  const script = [
    `[ -x ${q(bin)} ] && exit 0`,
    `GOBIN=${q(dir)} GOFLAGS=-mod=mod go install ${FAKE_GCS_MODULE}@${FAKE_GCS_VERSION} && exit 0`,
    `echo "go install failed; building from the module cache" >&2`,
    `src=$(go mod download -json ${FAKE_GCS_MODULE}@${FAKE_GCS_VERSION} | sed -n 's/^[[:space:]]*"Dir": "\\(.*\\)",\\{0,1\\}$/\\1/p')`,
    `[ -n "$src" ] || exit 3`,
    `cd "$src" && GOFLAGS=-mod=mod go build -o ${q(bin)} .`,
  ].join('\n');
  const r = spawnSync('flock', [join(cacheDir(), '.fake-gcs-install.lock'), 'sh', '-c', script], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 15 * 60_000,
    env: { ...process.env, GOTOOLCHAIN: process.env.GOTOOLCHAIN || 'local' },
  });
  if (r.status !== 0 || !existsSync(bin)) {
    throw new Error(`building fake-gcs-server failed (exit ${r.status}): ${(r.stderr || r.stdout || '').slice(-2000)}`);
  }
  return bin;
}

export async function startFakeGcs(o: { buckets?: string[]; log?: (l: string) => void } = {}): Promise<FakeGcsHandle> {
  const bin = ensureFakeGcs(o.log);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = ['-scheme', 'http', '-host', '127.0.0.1', '-port', String(port), '-backend', 'memory', '-public-host', `127.0.0.1:${port}`, '-external-url', url, '-log-level', 'error'];
  const proc: ChildProcess = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout!.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-4000)));
  proc.stderr!.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-4000)));
  let exited: string | undefined;
  proc.once('exit', (code, sig) => (exited = `fake-gcs-server exited (${code ?? sig}): ${output}`));
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill('SIGTERM');
    const t = setTimeout(() => proc.kill('SIGKILL'), 3000);
    await gone;
    clearTimeout(t);
  };
  try {
    await waitHttp(port, 30_000, () => exited, 'fake-gcs-server');
    for (const b of o.buckets ?? []) {
      const res = await fetch(`${url}/storage/v1/b?project=test`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: b }) });
      if (!res.ok && res.status !== 409) throw new Error(`fake-gcs-server: creating bucket ${b} answered ${res.status}: ${await res.text()}`);
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { host: '127.0.0.1', port, url, stop };
}
