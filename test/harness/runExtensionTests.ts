// One extension-host run: bundle the suites, start the services they need, start a VS Code server with the
// services' env, open the workbench with the test payload, stream the host's output, and return the runner's
// exit code and mocha's counts. Everything started goes on the caller's Cleanup.
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, openWorkbench } from './browser';
import { bundleSuites } from './build';
import { Cleanup } from './cleanup';
import { fixtureWorkspace, repoRoot } from './paths';
import { startServer } from './server';
import { ServiceHook, startServices } from './services';

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

export interface ExtensionTestRun {
  /** Names the bundle folder under .cache/ and prefixes the log lines. */
  name: string;
  /** Every *.test.ts below it is bundled and run. */
  suitesDir: string;
  /** The extension loaded as the development extension (default: this repo). */
  extensionDevelopmentPath?: string;
  /** Workspace folder to open; copied to a temp dir first (default: test/extension/fixtures/workspace). */
  workspace?: string;
  /** Extra env for the extension host (the server process's env). */
  env?: Record<string, string>;
  services?: readonly ServiceHook[];
  /** Where the server looks for installed extensions (default: an empty temp dir). */
  extensionsDir?: string;
  /** Disable installed extensions other than the development one (see WorkbenchOptions). */
  disableExtensions?: boolean;
  /** Only tests whose full title matches (mocha --grep). */
  grep?: string;
  /** Also print the server's own log. */
  verbose?: boolean;
  /** The whole run, workbench load included (default 10 min). */
  timeoutMs?: number;
  /** Print the host's output as it comes (default true). */
  stream?: boolean;
}

export async function runExtensionTests(
  cleanup: Cleanup,
  o: ExtensionTestRun,
): Promise<{ code: number; counts: Counts; /** the host's output lines (mocha's report), streamed or not */ output: string[] }> {
  const testsPath = await bundleSuites(cleanup, o.name, o.suitesDir);
  const serviceEnv = await startServices(cleanup, o.services ?? []);
  const tmp = cleanup.tempDir(o.name);
  const workspace = join(tmp, 'workspace');
  cpSync(o.workspace ?? fixtureWorkspace, workspace, { recursive: true });
  const resultsFile = join(tmp, 'results.json');
  const server = await startServer(cleanup, {
    env: {
      ...serviceEnv,
      ...o.env,
      MILVUS_BACKUP_TEST_RESULTS: resultsFile,
      ...(o.grep ? { MILVUS_BACKUP_TEST_GREP: o.grep } : {}),
    },
    extensionsDir: o.extensionsDir,
    verbose: o.verbose,
  });
  const browser = await launchChromium(cleanup);
  const started = Date.now();
  const stream = o.stream ?? true;
  const output: string[] = [];
  const { exitCode } = await openWorkbench(browser, server, {
    folder: workspace,
    extensionDevelopmentPath: o.extensionDevelopmentPath ?? repoRoot,
    extensionTestsPath: testsPath,
    disableExtensions: o.disableExtensions,
    onLog: (line) => {
      output.push(line);
      if (stream) console.log(line);
    },
    verbose: o.verbose,
  });
  const timeoutMs = o.timeoutMs ?? 10 * 60_000;
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([
    exitCode,
    new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        console.error(`[harness] ${o.name}: no verdict from the extension host within ${timeoutMs / 1000} s\n${server.tail()}`);
        resolve(124);
      }, timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
  console.log(`[harness] ${o.name}: runner exited with ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const counts: Counts = existsSync(resultsFile)
    ? JSON.parse(readFileSync(resultsFile, 'utf8'))
    : { passed: 0, failed: 0, skipped: 0 };
  // The runner can fail before mocha counts anything (a suite that does not load, activation throwing).
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  return { code, counts, output };
}
