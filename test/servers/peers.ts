// Where the real peers (the embedded Milvus from PyPI, the Go milvus-backup) are installed on first use:
// outside the repository's files, shared by every clone and worktree on the machine so that each installs once
// (the Go build takes ~2 minutes), and keyed by the pinned version so a version bump installs anew.
// MILVUS_BACKUP_PEERS_DIR moves it (a fresh-machine timing uses an empty one).
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { withFileLock } from '../harness/lock';

export function peersDir(): string {
  return process.env.MILVUS_BACKUP_PEERS_DIR ?? join(homedir(), '.cache', 'milvus-backup-vscode', 'peers');
}

/**
 * Installs `name` into `<peersDir>/<name>` once: `install(dir)` runs under a cross-process lock, and a
 * `.installed` marker written after it succeeds makes later calls return at once. A failed install leaves no
 * marker, so the next call tries again from a clean folder.
 */
export async function installOnce(name: string, install: (dir: string) => void): Promise<string> {
  const dir = join(peersDir(), name);
  const marker = join(dir, '.installed');
  if (existsSync(marker)) return dir;
  mkdirSync(peersDir(), { recursive: true });
  return withFileLock(join(peersDir(), `${name}.lock`), async () => {
    if (existsSync(marker)) return dir;
    spawnSync('rm', ['-rf', dir]);
    mkdirSync(dir, { recursive: true });
    const started = Date.now();
    console.log(`[peers] installing ${name} into ${dir} (once per machine)`);
    install(dir);
    writeFileSync(marker, `${new Date().toISOString()} ${Math.round((Date.now() - started) / 1000)} s\n`);
    console.log(`[peers] ${name} installed in ${Math.round((Date.now() - started) / 1000)} s`);
    return dir;
  });
}

/** Runs a command of an install step; a failure throws with the command and the end of its output. */
export function runStep(cmd: string, args: string[], opts: SpawnSyncOptions = {}): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 15 * 60_000, ...opts });
  if (r.status !== 0) {
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-25).join('\n');
    throw new Error(`install step failed: ${cmd} ${args.join(' ')} (exit ${r.status ?? r.signal ?? r.error?.message})\n${out}`);
  }
}
