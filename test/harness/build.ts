// Builds what a run loads: the extension itself (the repo's esbuild.js, as users get it minus minification) and
// the extension-host suites, bundled into test/harness/.cache so `require('mocha')` there resolves to the harness's.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as esbuild from 'esbuild';
import { findFiles } from '../extension/findFiles';
import { Cleanup } from './cleanup';
import { cacheDir, repoRoot } from './paths';

export function buildExtension(): void {
  const r = spawnSync(process.execPath, ['esbuild.js'], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`node esbuild.js failed (exit ${r.status ?? r.signal})`);
}

const testsRoot = join(repoRoot, 'test', 'extension');

/**
 * Bundles test/extension/index.ts (the in-host mocha runner) plus every *.test.ts under `suitesDir` into
 * `.cache/<name>-<pid>/` (per run: engineers sharing a work tree may run at once), removed at cleanup; returns
 * the runner's path, which is the payload's extensionTestsPath.
 */
export async function bundleSuites(cleanup: Cleanup, name: string, suitesDir: string): Promise<string> {
  const outdir = join(cacheDir, `${name}-${process.pid}`);
  rmSync(outdir, { recursive: true, force: true });
  cleanup.add(`remove ${outdir}`, () => rmSync(outdir, { recursive: true, force: true }));
  const suites = findFiles(suitesDir, '.test.ts');
  if (suites.length === 0) throw new Error(`no *.test.ts under ${relative(repoRoot, suitesDir)}`);
  await esbuild.build({
    entryPoints: [join(testsRoot, 'index.ts'), ...suites],
    outbase: testsRoot,
    outdir,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // vscode is the host's; mocha must be one instance shared by the runner and the suites' describe/it.
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return join(outdir, 'index.js');
}
