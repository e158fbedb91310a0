// The extension-host side of the harness: the payload's extensionTestsPath. The host calls run(); its promise
// settling is the verdict the workbench reports through codeAutomationExit. Runs every *.test.js bundled next
// to this file with mocha, prints the spec report (it reaches the launcher through the automation log) and
// writes the counts to $MILVUS_BACKUP_TEST_RESULTS for the tier's closing line.
import { writeFileSync } from 'node:fs';
import Mocha from 'mocha';
import { findFiles } from './findFiles';
import { mapStack } from './mapStack';

export async function run(): Promise<void> {
  // Before mocha loads the suites, so their stacks map to test/extension/**/*.ts through the bundle's inline
  // maps even where NODE_OPTIONS=--enable-source-maps (test/harness/server.ts) did not reach the host.
  process.setSourceMapsEnabled(true);
  const mocha = new Mocha({
    ui: 'bdd',
    forbidOnly: true, // a forgotten .only would silently drop every other test
    reporter: 'spec',
    color: false,
    // Generous: the first test pays for activation, later suites start servers' clients.
    timeout: Number(process.env.MILVUS_BACKUP_TEST_TIMEOUT_MS ?? 30_000),
    grep: process.env.MILVUS_BACKUP_TEST_GREP || undefined,
  });
  for (const f of findFiles(__dirname, '.test.js')) mocha.addFile(f);
  const stats = await new Promise<Mocha.Stats>((resolve, reject) => {
    try {
      const runner = mocha.run(() => resolve(runner.stats!));
      // The spec reporter prints the stacks at the end: rewritten here to the .ts lines (see mapStack).
      runner.on('fail', (_test, err: Error) => {
        if (typeof err?.stack === 'string') err.stack = mapStack(err.stack);
      });
    } catch (e) {
      reject(e);
    }
  });
  const results = process.env.MILVUS_BACKUP_TEST_RESULTS;
  if (results) {
    writeFileSync(results, JSON.stringify({ passed: stats.passes, failed: stats.failures, skipped: stats.pending }));
  }
  if (stats.failures > 0) throw new Error(`${stats.failures} extension-host test(s) failed`);
  if (stats.tests === 0) throw new Error('no extension-host test ran (check MILVUS_BACKUP_TEST_GREP)');
}
