import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './ceph';
import { installOnce, runStep } from './peers';
import { waitHttp } from './waitHttp';
import { supervise } from './supervise';

/**
 * fake-gcs-server (github.com/fsouza/fake-gcs-server, the GCS emulator the Go and Node client libraries test
 * against) as a child process on 127.0.0.1 with a free port and an in-memory backend. It speaks the JSON API
 * (`/storage/v1/…`, `/upload/storage/v1/…`, rewrite for copies) without checking credentials.
 *
 * The binary is built once per machine with the Go toolchain into the peers directory (peers.ts: outside the
 * repository, under a lock, shared by every worktree). `go install MODULE@VERSION` asks the proxy for the
 * module's version list, which some proxies refuse (goBackup.ts); then the module is fetched by exact version
 * (`go mod download -json`) and built inside its module cache directory.
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

/** Path of the fake-gcs-server binary, built on first use (once per machine, see peers.ts). */
export async function ensureFakeGcs(): Promise<string> {
  if (spawnSync('sh', ['-c', 'command -v go'], { stdio: 'ignore' }).status !== 0) {
    throw new Error(`fake-gcs-server is needed by the GCS tests; install Go (https://go.dev/dl/) so they can build ${FAKE_GCS_MODULE}@${FAKE_GCS_VERSION}`);
  }
  const dir = await installOnce(`fake-gcs-server-${FAKE_GCS_VERSION}`, (d) => {
    const env = { ...process.env, GOBIN: d, GOFLAGS: '-modcacherw -buildvcs=false', GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? 'local' };
    const installed = spawnSync('go', ['install', `${FAKE_GCS_MODULE}@${FAKE_GCS_VERSION}`], { env, encoding: 'utf8', timeout: 15 * 60_000 });
    if (installed.status === 0) return;
    // the proxy refused the version list: fetch the exact version and build it where it was unpacked
    const dl = spawnSync('go', ['mod', 'download', '-json', `${FAKE_GCS_MODULE}@${FAKE_GCS_VERSION}`], { env, encoding: 'utf8', timeout: 15 * 60_000 });
    let src: string | undefined;
    try {
      src = (JSON.parse(dl.stdout) as { Dir?: string }).Dir;
    } catch {
      // reported below with go install's own output
    }
    if (!src) throw new Error(`go install ${FAKE_GCS_MODULE}@${FAKE_GCS_VERSION} failed: ${installed.stderr.trim().split('\n').slice(-5).join('\n')}; go mod download: ${dl.stderr.trim().slice(-500)}`);
    runStep('go', ['build', '-o', join(d, 'fake-gcs-server'), '.'], { cwd: src, env });
  });
  return join(dir, 'fake-gcs-server');
}

export async function startFakeGcs(o: { buckets?: string[] } = {}): Promise<FakeGcsHandle> {
  const bin = await ensureFakeGcs();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = ['-scheme', 'http', '-host', '127.0.0.1', '-port', String(port), '-backend', 'memory', '-public-host', `127.0.0.1:${port}`, '-external-url', url, '-log-level', 'error'];
  const proc: ChildProcess = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const { exited, stop } = supervise(proc, 'fake-gcs-server');
  try {
    await waitHttp(port, 30_000, exited, 'fake-gcs-server');
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
