// `npm run test:electron`: the same extension-host suites on a desktop VS Code through @vscode/test-electron,
// for machines that can download one (or have one: MILVUS_BACKUP_VSCODE_EXECUTABLE). Not part of `npm test`;
// CI and machines without that download use the server launcher (`npm run test:ext`).
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { services } from '../extension/services';
import { buildExtension, bundleSuites } from './build';
import { withCleanup } from './cleanup';
import { cacheDir, fixtureWorkspace, repoRoot } from './paths';
import { startServices } from './services';
import { ensureHarness } from './setup';

const version = process.env.MILVUS_BACKUP_VSCODE_VERSION ?? '1.100.3'; // the engines.vscode floor

async function desktopVsCode(): Promise<string> {
  if (process.env.MILVUS_BACKUP_VSCODE_EXECUTABLE) return process.env.MILVUS_BACKUP_VSCODE_EXECUTABLE;
  try {
    return await downloadAndUnzipVSCode({ version, cachePath: join(cacheDir, 'vscode-desktop'), timeout: 30_000 });
  } catch (e) {
    throw new Error(
      `test:electron needs a desktop VS Code ${version}, and downloading it failed:\n  ${(e as Error).message}\n` +
        'The download host is unreachable on machines without open internet (ours and CI). There, run the same\n' +
        'suites in the VS Code server instead: npm run test:ext. Or set MILVUS_BACKUP_VSCODE_EXECUTABLE to an\n' +
        'installed VS Code (on Linux without a display, run under xvfb-run).',
    );
  }
}

async function main(): Promise<number> {
  const vscodeExecutablePath = await desktopVsCode();
  await ensureHarness(); // the in-host runner loads mocha from test/harness/node_modules
  buildExtension();
  return withCleanup(async (cleanup) => {
    const extensionTestsPath = await bundleSuites(cleanup, 'electron-tests', join(repoRoot, 'test', 'extension', 'suites'));
    const serviceEnv = await startServices(cleanup, services);
    const tmp = cleanup.tempDir('electron');
    const workspace = join(tmp, 'workspace');
    cpSync(fixtureWorkspace, workspace, { recursive: true });
    const resultsFile = join(tmp, 'results.json');
    let code: number;
    try {
      code = await runTests({
        vscodeExecutablePath,
        extensionDevelopmentPath: repoRoot,
        extensionTestsPath,
        extensionTestsEnv: { ...serviceEnv, MILVUS_BACKUP_TEST_RESULTS: resultsFile },
        launchArgs: [workspace, '--disable-workspace-trust', '--disable-extensions', '--user-data-dir', join(tmp, 'user-data')],
      });
    } catch (e) {
      console.error(`[harness] ${(e as Error).message}`);
      code = 1; // runTests rejects when the tests fail
    }
    const c = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : { passed: 0, failed: 1, skipped: 0 };
    console.log(`electron: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`);
    return code;
  });
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`[harness] ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  },
);
