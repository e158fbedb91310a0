#!/usr/bin/env node
// The watchdog of a launcher (test/harness/watchdog.ts starts one per process; scripts/test.mjs its own).
// It runs detached, in its own session, so neither a SIGKILL of the launcher nor a kill of the launcher's
// process group reaches it, and reads the launcher's registrations from stdin, one per line:
//   +group PID | -group PID   a process group (a detached child is its group's leader): SIGTERM, then SIGKILL
//   +pid PID   | -pid PID     one process: SIGTERM, then SIGKILL
//   +dir PATH  | -dir PATH    a directory removed once the processes are gone
// stdin ends when the launcher exits, however it exits (the kernel closes the pipe). Whatever is still
// registered then is stopped and removed; a launcher that cleaned up after itself has unregistered everything,
// so the watchdog just exits.
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';

const groups = new Set();
const pids = new Set();
const dirs = new Set();
const sets = { group: groups, pid: pids, dir: dirs };

const say = (line) => {
  try {
    process.stderr.write(`[watchdog] ${line}\n`);
  } catch {
    /* nobody is reading any more */
  }
};
process.stderr.on('error', () => {});

const alive = (target) => {
  try {
    process.kill(target, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
};
const signal = (target, sig) => {
  try {
    process.kill(target, sig);
  } catch {
    /* already gone */
  }
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function reap() {
  // Negative numbers address a whole process group.
  const targets = [...[...groups].map((g) => -g), ...pids].filter(alive);
  if (targets.length || dirs.size) say(`launcher ${process.ppid === 1 ? '' : `${process.ppid} `}gone: stopping ${targets.length} process(es), removing ${dirs.size} dir(s)`);
  for (const t of targets) signal(t, 'SIGTERM');
  const deadline = Date.now() + Number(process.env.MILVUS_BACKUP_WATCHDOG_GRACE_MS ?? 5000);
  while (targets.some(alive) && Date.now() < deadline) await sleep(100);
  for (const t of targets.filter(alive)) signal(t, 'SIGKILL');
  const killed = Date.now() + 5000;
  while (targets.some(alive) && Date.now() < killed) await sleep(100);
  for (const d of dirs) {
    try {
      rmSync(d, { recursive: true, force: true });
    } catch (e) {
      say(`could not remove ${d}: ${e.message}`);
    }
  }
  process.exit(0);
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const m = /^([+-])(group|pid|dir) (.+)$/.exec(line);
  if (!m) return say(`ignored "${line}"`);
  const value = m[2] === 'dir' ? m[3] : Number(m[3]);
  if (m[2] !== 'dir' && !(Number.isInteger(value) && value > 1)) return say(`ignored "${line}"`);
  if (m[1] === '+') sets[m[2]].add(value);
  else sets[m[2]].delete(value);
});
lines.on('close', () => void reap());
// Detached from the terminal: a Ctrl-C meant for the launcher must not stop its watchdog.
for (const sig of ['SIGINT', 'SIGHUP']) process.on(sig, () => {});
