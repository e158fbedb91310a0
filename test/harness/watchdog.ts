// What a launcher leaves behind when it is killed with SIGKILL (a CI timeout, `kill -9` on `npm start`) is
// stopped by a watchdog process (reaper.mjs) that outlives it: the launcher registers each process group it
// starts (the VS Code server, Chromium) and each temp dir, and unregisters them once it has stopped/removed them
// itself. When the launcher dies, the pipe to the watchdog closes and the watchdog stops and removes whatever is
// still registered. One watchdog per launcher process, started on first use.
import { ChildProcess, spawn } from 'node:child_process';
import { Socket } from 'node:net';
import { join } from 'node:path';

let child: ChildProcess | undefined;

function send(line: string): void {
  if (!child) {
    child = spawn(process.execPath, [join(__dirname, 'reaper.mjs')], {
      // Own session: a kill of the launcher's process group (Ctrl-C, CI) must not take the watchdog with it.
      detached: true,
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    child.unref();
    (child.stdin as Socket).unref();
    child.stdin!.on('error', () => {}); // the watchdog gone first: nothing to tell it any more
  }
  child.stdin!.write(`${line}\n`);
}

export interface Watched {
  /** Unregisters: the caller has stopped/removed it itself. */
  forget(): void;
}

function watch(kind: 'group' | 'pid' | 'dir', value: string | number): Watched {
  send(`+${kind} ${value}`);
  let done = false;
  return {
    forget() {
      if (done) return;
      done = true;
      send(`-${kind} ${value}`);
    },
  };
}

/** A process group (its leader: a child spawned with `detached: true`), SIGTERMed then SIGKILLed. */
export const watchGroup = (leaderPid: number): Watched => watch('group', leaderPid);
/** One process, SIGTERMed then SIGKILLed. */
export const watchPid = (pid: number): Watched => watch('pid', pid);
/** A directory removed (after the processes are gone). */
export const watchDir = (path: string): Watched => watch('dir', path);

/** The watchdog's pid (for tests), once one is running. */
export const watchdogPid = (): number | undefined => child?.pid;
