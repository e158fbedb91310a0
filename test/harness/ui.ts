// The UI tier: one VS Code server and one workbench page (the extension loaded as the development extension,
// no test payload), then mocha runs test/ui/*.test.ts in this process against that page. The tests reach the
// page through test/ui/workbench.ts; screenshots go to test-results/ui/.
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { launchChromium, openWorkbench } from './browser';
import { Cleanup } from './cleanup';
import { fixtureWorkspace, repoRoot, resultsDir } from './paths';
import type { Counts } from './runExtensionTests';
import { startServer } from './server';

/** What the UI tests get; shared through globalThis because mocha loads them as separate CJS modules. */
export interface UiContext {
  page: import('playwright-core').Page;
  workspace: string;
  screenshotsDir: string;
}
export const uiContextKey = '__milvusBackupUiContext';

export async function runUiTests(cleanup: Cleanup): Promise<Counts> {
  const uiDir = join(repoRoot, 'test', 'ui');
  const files = readdirSync(uiDir).filter((f) => f.endsWith('.test.ts')).sort().map((f) => join(uiDir, f));
  if (files.length === 0) throw new Error('no test/ui/*.test.ts');
  const workspace = join(cleanup.tempDir('ui'), 'workspace');
  cpSync(fixtureWorkspace, workspace, { recursive: true });
  const screenshotsDir = join(resultsDir, 'ui');
  rmSync(screenshotsDir, { recursive: true, force: true });
  mkdirSync(screenshotsDir, { recursive: true });

  // Without the smoke-test driver, so modal dialogs show (as for a user) and the tests click them; trust stays
  // off so opening the folder does not start with a trust prompt.
  const server = await startServer(cleanup, { verbose: process.env.MILVUS_BACKUP_TEST_VERBOSE === '1', smokeTestDriver: false });
  const browser = await launchChromium(cleanup);
  const { page } = await openWorkbench(browser, server, {
    folder: workspace,
    extensionDevelopmentPath: repoRoot,
    onLog: (line) => process.env.MILVUS_BACKUP_TEST_VERBOSE === '1' && console.log(`[workbench] ${line}`),
  });
  // Shared 2-core machines make the first workbench paint slow; a wait longer than this is a real failure.
  page.setDefaultTimeout(45_000);
  const context: UiContext = { page, workspace, screenshotsDir };
  (globalThis as Record<string, unknown>)[uiContextKey] = context;

  // One page, steps in file order: the files are a story (open the view, use it), so no retries or parallelism.
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    forbidOnly: true, // a forgotten .only would silently drop every other test
    timeout: 60_000,
    grep: process.env.MILVUS_BACKUP_TEST_GREP || undefined,
  });
  for (const f of files) mocha.addFile(f);
  const stats = await new Promise<Mocha.Stats>((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats!));
  });
  console.log(`[harness] screenshots in ${screenshotsDir}`);
  return { passed: stats.passes, failed: stats.failures, skipped: stats.pending };
}
