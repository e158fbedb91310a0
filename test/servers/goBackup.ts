// The real Go milvus-backup, for the `real` tier: built with the Go toolchain's own client from the Go module
// proxy, once per machine, into peersDir() (never into the repository). `go install MODULE@VERSION` fails
// here: it first reads the module's version list (for deprecation notices), which the proxy on our machines
// refuses (403 "This module version is not available"); the module zip of a release itself is served. So the
// install is `go mod download -json MODULE@VERSION` (the module's own source, checksummed against
// sum.golang.org) and `go build` inside that module directory: the same source and build `go install` makes.
// Its main branch is not served at all (every pseudo-version answers 403), so only releases are installed.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { installOnce, runStep } from './peers';
import { watchPid } from '../harness/watchdog';

export const GO_BACKUP_MODULE = 'github.com/zilliztech/milvus-backup';
/** The latest release (2026-05-29). */
export const GO_BACKUP_VERSION = 'v0.5.16';

function goEnv(dir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOPATH: join(dir, 'gopath'),
    GOCACHE: join(dir, 'gocache'),
    // read-only module caches cannot be removed with rm -rf; a failed install must be able to start over
    GOFLAGS: '-modcacherw -buildvcs=false',
    GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? 'local',
  };
}

/** The built binary of `version` (installed on first use: ~2 minutes on 2 cores). */
export async function ensureGoBackup(version = GO_BACKUP_VERSION): Promise<string> {
  const dir = await installOnce(`go-milvus-backup-${version}`, (d) => {
    const env = goEnv(d);
    const r = spawnJson(['mod', 'download', '-json', `${GO_BACKUP_MODULE}@${version}`], env);
    if (r.Error || !r.Dir) throw new Error(`go mod download ${GO_BACKUP_MODULE}@${version} failed: ${r.Error ?? 'no Dir in its answer'}`);
    runStep('go', ['build', '-o', join(d, 'milvus-backup'), '.'], { cwd: r.Dir, env });
    // the build cache (~1 GB) is not needed to run the binary
    runStep('go', ['clean', '-cache'], { env });
  });
  return join(dir, 'milvus-backup');
}

function spawnJson(args: string[], env: NodeJS.ProcessEnv): { Dir?: string; Error?: string } {
  const r = spawnSync('go', args, { env, encoding: 'utf8', timeout: 10 * 60_000 });
  if (r.error) throw new Error(`go ${args.join(' ')}: ${r.error.message} (is Go installed?)`);
  try {
    return JSON.parse(r.stdout) as { Dir?: string; Error?: string };
  } catch {
    throw new Error(`go ${args.join(' ')} (exit ${r.status}): ${r.stderr.trim().split('\n').slice(-5).join('\n')}`);
  }
}

export interface GoRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface GoRunOptions {
  /** the backup.yaml to pass as --config */
  config: string;
  /** where it runs (it writes logs/backup.log relative to it); default the config's folder */
  cwd?: string;
  /** merged into process.env (e.g. MINIO_ACCESS_KEY) */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  version?: string;
}

/** Runs `milvus-backup --config FILE ARGS…` and collects its output; never throws on a non-zero exit. */
export async function runGoBackup(args: string[], o: GoRunOptions): Promise<GoRun> {
  const bin = await ensureGoBackup(o.version);
  const cwd = o.cwd ?? join(o.config, '..');
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['--config', o.config, ...args], { cwd, env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const w = child.pid ? watchPid(child.pid) : undefined;
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 10 * 60_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      w?.forget();
      reject(e);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      w?.forget();
      resolve({ code, stdout, stderr });
    });
  });
}
