// The ext and ui tiers of `npm test` (scripts/test.mjs spawns `tiers.ts <tier> --results <file>` and reads the
// counts back). Each tier prints its own closing line too, so it reads the same when run alone.
//   ext: the extension-host suites; the deliberate-failure check; the packaged-.vsix smoke test.
//   ui:  Playwright on the workbench (test/ui/).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { services } from '../extension/services';
import { buildExtension } from './build';
import { Cleanup, withCleanup } from './cleanup';
import { repoRoot } from './paths';
import type { Counts } from './runExtensionTests';
import { ensureHarness } from './setup';

// Modules that load playwright-core or mocha are imported only after ensureHarness() has installed them.
const runExtensionTests = async (...a: Parameters<typeof import('./runExtensionTests.js').runExtensionTests>) =>
  (await import('./runExtensionTests.js')).runExtensionTests(...a);
const runUiTests = async (c: Cleanup) => (await import('./ui.js')).runUiTests(c);
const vsixSmoke = async (c: Cleanup) => (await import('./vsixSmoke.js')).vsixSmoke(c);

const suitesDir = join(repoRoot, 'test', 'extension', 'suites');

/**
 * Runs the suites once more with MILVUS_BACKUP_FAIL_DELIBERATELY=1 (only that test) and passes when the run
 * fails with exactly that one failure: a broken test can't go unnoticed behind a green exit code.
 */
async function deliberateFailureCheck(cleanup: Cleanup): Promise<Counts> {
  console.log('\n[harness] check: a failing extension-host test fails the run');
  const { code, counts, output } = await runExtensionTests(cleanup, {
    name: 'ext-fail-check',
    suitesDir,
    env: { MILVUS_BACKUP_FAIL_DELIBERATELY: '1' },
    grep: 'deliberate failure',
    stream: false,
  });
  const ok = code !== 0 && counts.failed === 1 && counts.passed === 0;
  console.log(`  ${ok ? '✔' : '✘'} a deliberately failing test makes the runner exit ${code} with ${counts.failed} failure(s)`);
  // Source maps are on in the host: the failure's stack names the .ts line, not the bundled .cache/…/*.js.
  const frame = output.find((l) => /deliberateFailure\.test\.ts:\d+:\d+/.test(l));
  const mapped = frame !== undefined && /test\/extension\/suites\/deliberateFailure\.test\.ts/.test(frame);
  console.log(`  ${mapped ? '✔' : '✘'} its stack names the source: ${frame?.trim() ?? `no deliberateFailure.test.ts frame in:\n${output.join('\n')}`}`);
  const passed = (ok ? 1 : 0) + (mapped ? 1 : 0);
  return { passed, failed: 2 - passed, skipped: 0 };
}

function add(a: Counts, b: Counts): Counts {
  return { passed: a.passed + b.passed, failed: a.failed + b.failed, skipped: a.skipped + b.skipped };
}

/** Runs one part; a part that throws (a server that won't start) counts as one failure, the others still run. */
async function part(name: string, fn: () => Promise<Counts>): Promise<Counts> {
  const started = Date.now();
  try {
    return await fn();
  } catch (e) {
    console.error(`[harness] ${name} could not run: ${e instanceof Error ? e.stack : e}`);
    return { passed: 0, failed: 1, skipped: 0 };
  } finally {
    console.log(`[harness] ${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

const tiers: Record<string, () => Promise<Counts>> = {
  async ext() {
    let total: Counts = { passed: 0, failed: 0, skipped: 0 };
    // Each part gets its own server and browser, stopped before the next starts (2 cores).
    total = add(total, await part('extension-host suites', () =>
      withCleanup(async (c) => (await runExtensionTests(c, { name: 'ext-tests', suitesDir, services })).counts)));
    total = add(total, await part('deliberate-failure check', () => withCleanup(deliberateFailureCheck)));
    total = add(total, await part('packaged .vsix smoke test', () => withCleanup(vsixSmoke)));
    return total;
  },
  async ui() {
    return part('ui tests', () => withCleanup(runUiTests));
  },
};

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ options: { results: { type: 'string' } }, allowPositionals: true });
  const name = positionals[0];
  const tier = tiers[name];
  if (!tier) throw new Error(`unknown tier "${name}"; tiers: ${Object.keys(tiers).join(', ')}`);
  const started = Date.now();
  await ensureHarness();
  buildExtension();
  const counts = await tier();
  if (values.results) writeFileSync(values.results, JSON.stringify(counts));
  console.log(`[harness] ${name} tier: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  // Under scripts/test.mjs (--results) that runner prints the closing line; alone, print it here.
  if (!values.results) console.log(`${name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  return counts.failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`[harness] ${e instanceof Error ? e.stack : e}`);
    process.exit(1);
  },
);
