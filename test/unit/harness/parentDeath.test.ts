/**
 * A launcher killed with SIGKILL (a CI timeout, `kill -9` on `npm start`) must not leave its servers behind:
 * - our own servers (scripts/s3.ts, scripts/milvus-sim.ts) spawned with a stdin pipe stop when it ends;
 * - processes that are not ours (the VS Code server and its extension hosts) are process groups that the
 *   launcher's watchdog (test/harness/watchdog.ts → reaper.mjs) stops, and it removes the launcher's temp dirs.
 * Each test spawns a launcher-like parent, SIGKILLs it, and waits (bounded) for the rest to be gone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { alive } from '../../harness/lock';

const root = resolve(__dirname, '../../..');
const BOUND_MS = 15_000; // generous: a loaded 2-core machine

function portOpen(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), res(true)));
    s.once('error', () => res(false));
  });
}

async function eventually(what: string, check: () => boolean | Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > BOUND_MS) assert.fail(`${what}: still not the case after ${BOUND_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return Date.now() - started;
}

/** Starts `node --import tsx -e code` and resolves with its first stdout line parsed as JSON. */
async function launcher(code: string, env: Record<string, string> = {}): Promise<{ parent: ChildProcess; info: Record<string, any> }> {
  const parent = spawn(process.execPath, ['--import', 'tsx', '-e', code], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const line = await new Promise<string>((res, rej) => {
    createInterface({ input: parent.stdout! }).once('line', res);
    parent.once('exit', (c) => rej(new Error(`launcher exited ${c} before it was ready`)));
  });
  return { parent, info: JSON.parse(line) };
}

function sigkill(parent: ChildProcess): Promise<void> {
  return new Promise((res) => {
    parent.once('exit', () => res());
    parent.kill('SIGKILL');
  });
}

test('scripts/s3.ts started with a stdin pipe stops when its launcher is SIGKILLed', async () => {
  const { parent, info } = await launcher(`
    const { spawn } = require('node:child_process');
    const { createInterface } = require('node:readline');
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/s3.ts', '--port', '0', '--buckets', 'b'], { stdio: ['pipe', 'pipe', 'inherit'] });
    createInterface({ input: child.stdout }).once('line', (l) => {
      const { endpoint } = JSON.parse(l.slice('READY '.length));
      console.log(JSON.stringify({ pid: child.pid, port: Number(endpoint.split(':')[1]) }));
    });
  `);
  const { pid, port } = info as { pid: number; port: number };
  try {
    assert.ok(alive(pid) && (await portOpen(port)), 'the S3 server runs while its launcher does');
    await sigkill(parent);
    await eventually(`s3 server pid ${pid} gone`, () => !alive(pid));
    await eventually(`port ${port} closed`, async () => !(await portOpen(port)));
  } finally {
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
});

test('the watchdog stops a registered process group (even one ignoring SIGTERM) and removes registered dirs', async () => {
  const scratch = mkdtempSync(join(tmpdir(), 'watchdog-test-'));
  const removed = join(scratch, 'removed');
  const kept = join(scratch, 'kept');
  // The group: a leader that ignores SIGTERM and listens on a port, plus a grandchild in its group (as the VS
  // Code server's extension hosts are).
  const leader = `
    process.on('SIGTERM', () => {});
    const { spawn } = require('node:child_process');
    const g = spawn('sleep', ['600'], { stdio: 'ignore' });
    const s = require('node:net').createServer().listen(0, '127.0.0.1', () =>
      console.log(JSON.stringify({ port: s.address().port, grandchild: g.pid })));
  `;
  const { parent, info } = await launcher(
    `
    const { spawn } = require('node:child_process');
    const { mkdirSync } = require('node:fs');
    const { createInterface } = require('node:readline');
    const { watchGroup, watchDir, watchdogPid } = require('./test/harness/watchdog.ts');
    mkdirSync(${JSON.stringify(removed)}); mkdirSync(${JSON.stringify(kept)});
    watchDir(${JSON.stringify(removed)});
    watchDir(${JSON.stringify(kept)}).forget();
    const child = spawn(process.execPath, ['-e', ${JSON.stringify(leader)}], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
    watchGroup(child.pid);
    createInterface({ input: child.stdout }).once('line', (l) =>
      console.log(JSON.stringify({ ...JSON.parse(l), leader: child.pid, watchdog: watchdogPid() })));
  `,
    { MILVUS_BACKUP_WATCHDOG_GRACE_MS: '1000' },
  );
  const { port, grandchild, leader: leaderPid, watchdog } = info as Record<string, number>;
  try {
    assert.ok(alive(leaderPid) && alive(grandchild) && (await portOpen(port)), 'the group runs while its launcher does');
    await sigkill(parent);
    await eventually(`leader ${leaderPid} gone`, () => !alive(leaderPid));
    await eventually(`grandchild ${grandchild} gone`, () => !alive(grandchild));
    await eventually(`port ${port} closed`, async () => !(await portOpen(port)));
    await eventually('registered dir removed', () => !existsSync(removed));
    await eventually(`watchdog ${watchdog} exited`, () => !alive(watchdog));
    assert.ok(existsSync(kept), 'a dir the launcher unregistered is left alone');
  } finally {
    for (const p of [leaderPid, grandchild, watchdog]) if (p && alive(p)) process.kill(p, 'SIGKILL');
    rmSync(scratch, { recursive: true, force: true });
  }
});

test('the watchdog exits quietly when its launcher ends normally with nothing registered', async () => {
  const { parent, info } = await launcher(`
    const { watchDir, watchdogPid } = require('./test/harness/watchdog.ts');
    watchDir('/nonexistent/milvus-backup-watchdog-test').forget();
    console.log(JSON.stringify({ watchdog: watchdogPid() }));
  `);
  await new Promise((r) => parent.once('exit', r));
  await eventually(`watchdog ${info.watchdog} exited`, () => !alive(info.watchdog as number));
});
