#!/usr/bin/env node
// The one test command: `npm test` runs every tier in order; `npm test -- unit` (or `npm run test:unit`) one.
// Each tier prints a closing line `<tier>: N passed, N failed, N skipped`, and the run exits non-zero when any
// tier failed. Tiers are registered in TIERS below; a tier is a function returning {passed, failed, skipped}.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function findTests(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) findTests(p, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out.sort();
}

/**
 * The watchdog of test/harness/reaper.mjs: should this process be killed with SIGKILL (a CI timeout), it
 * SIGTERMs the tier still running, which then stops what it started (see test/harness/watchdog.ts).
 */
let watchdog;
function watchdogSend(line) {
  if (!watchdog) {
    watchdog = spawn(process.execPath, [join(root, 'test', 'harness', 'reaper.mjs')], { detached: true, stdio: ['pipe', 'ignore', 'inherit'] });
    watchdog.unref();
    watchdog.stdin.unref();
    watchdog.stdin.on('error', () => {});
  }
  watchdog.stdin.write(`${line}\n`);
}

function run(cmd, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
    if (child.pid) watchdogSend(`+pid ${child.pid}`);
    child.on('exit', (code, signal) => {
      if (child.pid) watchdogSend(`-pid ${child.pid}`);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

/** Runs node's test runner over test files; counts come from a TAP copy of the report. */
async function nodeTestTier(name, dirs, extraArgs = [], { concurrency = process.env.TEST_CONCURRENCY ?? 2 } = {}) {
  const files = dirs.flatMap((d) => findTests(join(root, d)));
  if (process.env.TEST_FILTER) {
    const f = process.env.TEST_FILTER;
    files.splice(0, files.length, ...files.filter((x) => x.includes(f)));
  }
  if (files.length === 0) throw new Error(`tier ${name}: no test files under ${dirs.join(', ')}`);
  mkdirSync(join(root, 'test-results'), { recursive: true });
  // One TAP copy per run, so two test runs at once (e.g. two terminals) never read each other's counts.
  const tap = join(root, 'test-results', `${name}-${process.pid}.tap`);
  const code = await run(process.execPath, [
    '--import', 'tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...extraArgs,
    ...files,
  ]);
  const text = readFileSync(tap, 'utf8');
  rmSync(tap, { force: true });
  const count = (k) => Number((text.match(new RegExp(`^# ${k} (\\d+)$`, 'm')) ?? [])[1] ?? 0);
  const result = { passed: count('pass'), failed: count('fail') + count('cancelled'), skipped: count('skipped') + count('todo') };
  if (code !== 0 && result.failed === 0) result.failed = 1; // the runner itself failed (e.g. a file did not load)
  return result;
}

/**
 * The extension-host and UI tiers run in test/harness (a real VS Code server + Chromium, installed there on
 * first use); it writes {passed, failed, skipped} to a file read back here.
 */
async function harnessTier(name) {
  mkdirSync(join(root, 'test-results'), { recursive: true });
  const out = join(root, 'test-results', `${name}.json`);
  rmSync(out, { force: true });
  const code = await run(process.execPath, ['--import', 'tsx', 'test/harness/tiers.ts', name, '--results', out]);
  const result = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : { passed: 0, failed: 0, skipped: 0 };
  if (code !== 0 && result.failed === 0) result.failed = 1; // the harness itself failed (install, server start)
  return result;
}

/**
 * The type check (tsx and the harness's esbuild run code unchecked): src, test/unit, test/milvus-sim,
 * test/servers, scripts and bench (tsconfig.json), then the harness, the extension-host suites and the UI tests
 * (test/harness/tsconfig.json; mocha's and playwright-core's types come with test/harness/node_modules, which
 * are installed here first when missing, as the ext tier would).
 */
async function typesTier() {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = { passed: 0, failed: 0, skipped: 0 };
  const count = (code) => (code === 0 ? result.passed++ : result.failed++);
  count(await run(process.execPath, [tsc, '--noEmit', '-p', '.']));
  const modules = await run(process.execPath, ['--import', 'tsx', 'test/harness/setup.ts', '--modules-only']);
  count(modules === 0 ? await run(process.execPath, [tsc, '--noEmit', '-p', 'test/harness']) : modules);
  return result;
}

const TIERS = {
  types: typesTier,
  unit: () => nodeTestTier('unit', ['test/unit']),
  // Real peers: the embedded Milvus 2.3.5 from PyPI and the Go milvus-backup (installed on first use, see
  // test/servers/README.md). One file at a time: each starts two real Milvus processes.
  real: () => nodeTestTier('real', ['test/real'], [], { concurrency: process.env.TEST_CONCURRENCY ?? 1 }),
  ext: () => harnessTier('ext'),
  ui: () => harnessTier('ui'),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : Object.keys(TIERS);
let failedAny = false;
const lines = [];
for (const name of names) {
  const tier = TIERS[name];
  if (!tier) {
    console.error(`unknown test tier "${name}"; tiers: ${Object.keys(TIERS).join(', ')}`);
    process.exit(2);
  }
  let r;
  try {
    r = await tier();
  } catch (e) {
    console.error(`tier ${name} could not run: ${e?.stack ?? e}`);
    r = { passed: 0, failed: 1, skipped: 0 };
  }
  if (r.failed > 0) failedAny = true;
  lines.push(`${name}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
  console.log(lines.at(-1));
}
const total = lines.length > 1 ? lines : [];
if (total.length) console.log('\n' + total.join('\n'));
process.exit(failedAny ? 1 : 0);
