import type { ChildProcess } from 'node:child_process';
import { watchPid } from '../harness/watchdog';

/**
 * What the emulator launchers (azurite.ts, fakeGcs.ts) need of the server process they spawned: the end of
 * its output for error messages, why it exited (for waitHttp's `alive`), and a stop that SIGTERMs, then
 * SIGKILLs after 3 s. A test process that dies without stopping it (SIGKILL, a crash) must not leave it
 * running: the harness watchdog stops what is still registered when its launcher is gone.
 */
export function supervise(proc: ChildProcess, name: string): { exited(): string | undefined; stop(): Promise<void> } {
  let output = '';
  const keep = (c: Buffer) => (output = (output + c.toString()).slice(-4000));
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const watched = proc.pid ? watchPid(proc.pid) : undefined;
  let exited: string | undefined;
  proc.once('exit', (code, sig) => {
    watched?.forget();
    exited = `${name} exited (${code ?? sig}): ${output}`;
  });
  return {
    exited: () => exited,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const gone = new Promise<void>((r) => proc.once('exit', () => r()));
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 3000);
      await gone;
      clearTimeout(t);
    },
  };
}
