// A cross-process lock on a file, so two test runs sharing one work tree don't install into the same
// node_modules at once. The file holds the owner's pid; a lock whose owner is gone is taken over.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Whether a process with this pid exists (EPERM: it does, owned by someone else). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function withFileLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  for (let announced = false; ; ) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // 0 while the owner is between creating and writing the file: treat as alive.
      const owner = Number(readFileSync(path, 'utf8')) || 0;
      if (owner && !alive(owner)) {
        rmSync(path, { force: true });
        continue;
      }
      if (!announced) console.log(`[harness] waiting for another install (pid ${owner}) to finish`);
      announced = true;
      await sleep(1000);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(path, { force: true });
  }
}
