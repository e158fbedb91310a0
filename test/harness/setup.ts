// Makes sure everything the extension-host and UI tiers need is on this machine, installing it on first use:
//   - Debian's chromium and ripgrep (apt-get, only as root; otherwise a message saying what to run),
//   - test/harness/node_modules (code-server, playwright-core, mocha), cached and keyed by a hash of the
//     harness package.json + lockfile so that editing either reinstalls.
// Usable as a module (ensureHarness) and as a script (`node --import tsx test/harness/setup.ts [--modules-only]`).
import { SpawnSyncOptions, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withFileLock } from './lock';
import { cacheDir, harnessDir } from './paths';

export const chromiumPath = process.env.MILVUS_BACKUP_CHROMIUM ?? '/usr/bin/chromium';
const rgPath = '/usr/bin/rg';
const keyFile = join(harnessDir, 'node_modules', '.harness-key');

/** The VS Code server entry point inside code-server (its own CLI rejects --enable-smoke-test-driver). */
export const serverMain = join(harnessDir, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');

function sh(cmd: string, args: string[], opts: SpawnSyncOptions = {}): void {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

function ensureSystemPackages(): void {
  const missing = [];
  if (!existsSync(chromiumPath)) missing.push('chromium');
  if (!existsSync(rgPath)) missing.push('ripgrep');
  // code-server's kerberos module has no reachable prebuilt binary here and compiles against GSSAPI's headers.
  if (!existsSync('/usr/include/gssapi/gssapi.h')) missing.push('libkrb5-dev');
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `the extension-host and UI tests need Debian's ${missing.join(', ')}; install with:\n` +
        `  sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}\n` +
        '(or point MILVUS_BACKUP_CHROMIUM at another Chromium binary)',
    );
  }
  console.log(`[harness] installing ${missing.join(', ')} from Debian`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Wait for dpkg's lock instead of failing when another apt run (another engineer, unattended upgrades) holds it.
  const lockWait = ['-o', 'DPkg::Lock::Timeout=600'];
  sh('apt-get', [...lockWait, 'update'], { env });
  sh('apt-get', [...lockWait, 'install', '-y', ...missing], { env });
}

/**
 * @vscode/ripgrep's postinstall downloads rg from GitHub (unreachable here) unless it finds the asset in
 * $TMPDIR/vscode-ripgrep-cache-<its version>/ripgrep-<tag>-<target>.tar.gz. We put Debian's rg there under the
 * version/tag names code-server 4.100.x asks for (1.15.11 / v13.0.0-10 today), plus their neighbours so a
 * patch release of code-server still finds one. Hard links: one copy on disk however many names.
 */
function ensureRipgrepCache(tmp: string): void {
  const tarball = join(tmp, 'rg.tar.gz');
  const stage = join(tmp, 'rg-stage');
  mkdirSync(stage, { recursive: true });
  sh('cp', [rgPath, join(stage, 'rg')]);
  sh('tar', ['czf', tarball, '-C', stage, 'rg']);
  rmSync(stage, { recursive: true, force: true });
  const tags = ['v13.0.0-10', 'v13.0.0-11', 'v13.0.0-13', 'v14.1.1-1'];
  for (const minor of [15, 16]) {
    for (let patch = 0; patch <= 20; patch++) {
      const dir = join(tmp, `vscode-ripgrep-cache-1.${minor}.${patch}`);
      mkdirSync(dir, { recursive: true });
      for (const tag of tags) linkSync(tarball, join(dir, `ripgrep-${tag}-x86_64-unknown-linux-musl.tar.gz`));
    }
  }
}

function harnessKey(): string {
  const h = createHash('sha256');
  for (const f of ['package.json', 'package-lock.json']) {
    const p = join(harnessDir, f);
    if (existsSync(p)) h.update(f).update(readFileSync(p));
  }
  return h.digest('hex');
}

function nodeModulesReady(): boolean {
  return existsSync(keyFile) && readFileSync(keyFile, 'utf8') === harnessKey() && existsSync(serverMain);
}

function installNodeModules(): void {
  // npm's TMPDIR for this install only: holds the ripgrep cache, removed afterwards.
  const tmp = join(cacheDir, 'tmp');
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  ensureRipgrepCache(tmp);
  const env = {
    ...process.env,
    TMPDIR: tmp,
    // code-server 4.100.x's postinstall refuses to run as root without it.
    npm_config_unsafe_perm: 'true',
    // node-pty's postinstall runs `npx node-gyp@…`, which would stop at a prompt (the machine's npmrc says yes=false).
    npm_config_yes: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  const started = Date.now();
  const lock = existsSync(join(harnessDir, 'package-lock.json'));
  console.log(`[harness] installing test/harness dependencies (npm ${lock ? 'ci' : 'install'}; a few minutes the first time)`);
  sh('npm', [lock ? 'ci' : 'install', '--no-audit', '--no-fund'], { cwd: harnessDir, env });
  writeFileSync(keyFile, harnessKey());
  rmSync(tmp, { recursive: true, force: true });
  console.log(`[harness] installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/** Installs what is missing; returns quickly when everything is cached. */
export async function ensureHarness(): Promise<void> {
  ensureSystemPackages();
  await ensureHarnessModules();
}

/** test/harness/node_modules alone (what the types tier needs: mocha's and playwright-core's types). */
export async function ensureHarnessModules(): Promise<void> {
  if (nodeModulesReady()) return;
  mkdirSync(cacheDir, { recursive: true });
  // Several runs may share one work tree; only one installs, the others wait and then see the cache.
  await withFileLock(join(cacheDir, 'install.lock'), async () => {
    if (nodeModulesReady()) return;
    installNodeModules();
  });
}

if (require.main === module) {
  (process.argv.includes('--modules-only') ? ensureHarnessModules() : ensureHarness()).then(
    () => console.log('[harness] ready'),
    (e: Error) => {
      console.error(`[harness] ${e.message}`);
      process.exit(1);
    },
  );
}
