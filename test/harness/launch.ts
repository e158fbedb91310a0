// Runs the extension-host suites once, from the command line:
//   node --import tsx test/harness/launch.ts [--grep RE] [--workspace DIR] [--env K=V]... [--suites DIR]
//                                            [--no-build] [--no-services] [--disable-extensions] [--verbose]
// Exits with the test runner's code; on Ctrl-C stops the services, server and browser and removes temp dirs.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { services } from '../extension/services';
import { buildExtension } from './build';
import { withCleanup } from './cleanup';
import { repoRoot } from './paths';
import { ensureHarness } from './setup';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      grep: { type: 'string' },
      workspace: { type: 'string' },
      env: { type: 'string', multiple: true },
      suites: { type: 'string' },
      'no-build': { type: 'boolean' },
      'no-services': { type: 'boolean' },
      'disable-extensions': { type: 'boolean' },
      verbose: { type: 'boolean' },
    },
  });
  const env = Object.fromEntries(
    (values.env ?? []).map((kv) => {
      const i = kv.indexOf('=');
      if (i < 1) throw new Error(`--env wants K=V, got "${kv}"`);
      return [kv.slice(0, i), kv.slice(i + 1)];
    }),
  );
  await ensureHarness();
  // Loads playwright-core and mocha, so only once ensureHarness() has installed them.
  const { runExtensionTests } = await import('./runExtensionTests.js');
  if (!values['no-build']) buildExtension();
  const { code, counts } = await withCleanup((cleanup) =>
    runExtensionTests(cleanup, {
      name: 'ext-tests',
      suitesDir: resolve(values.suites ?? `${repoRoot}/test/extension/suites`),
      workspace: values.workspace && resolve(values.workspace),
      env,
      services: values['no-services'] ? [] : services,
      grep: values.grep,
      disableExtensions: values['disable-extensions'],
      verbose: values.verbose,
    }),
  );
  console.log(`ext: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  return code;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`[harness] ${e instanceof Error ? e.stack : e}`);
    process.exit(1);
  },
);
