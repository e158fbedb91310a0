// Everything the harness starts (services, server, browser, temp dirs) registers how to stop it here, and the
// stack is unwound in reverse order on success, on failure and on Ctrl-C, so a run never leaves anything behind.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watchDir } from './watchdog';

type Step = { name: string; fn: () => unknown };

export class Cleanup {
  private readonly steps: Step[] = [];
  private running: Promise<void> | undefined;

  add(name: string, fn: () => unknown): void {
    this.steps.push({ name, fn });
  }

  /** A fresh temp dir removed at cleanup (or by the watchdog, if this process is killed first). */
  tempDir(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), `milvus-backup-${prefix}-`));
    const watched = watchDir(dir);
    this.add(`remove ${dir}`, () => {
      rmSync(dir, { recursive: true, force: true });
      watched.forget();
    });
    return dir;
  }

  /** Runs every step once, newest first; a step that throws or hangs (20 s) doesn't stop the others. */
  run(): Promise<void> {
    this.running ??= (async () => {
      for (let step = this.steps.pop(); step; step = this.steps.pop()) {
        const s = step;
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            Promise.resolve().then(s.fn),
            new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timed out after 20 s')), 20_000))),
          ]);
        } catch (e) {
          console.error(`[harness] cleanup "${s.name}" failed: ${(e as Error).message}`);
        } finally {
          clearTimeout(timer);
        }
      }
    })();
    return this.running;
  }
}

/**
 * Runs `main` with a Cleanup that is unwound however the process ends: normal return, throw, or
 * SIGINT/SIGTERM/SIGHUP (then the exit code is 128+signal, as a shell would report).
 */
export async function withCleanup<T>(main: (cleanup: Cleanup) => Promise<T>): Promise<T> {
  const cleanup = new Cleanup();
  const signals: Record<string, number> = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };
  const handlers = Object.entries(signals).map(([sig, n]) => {
    const handler = () => {
      console.error(`\n[harness] ${sig}: stopping what was started`);
      void cleanup.run().finally(() => process.exit(128 + n));
    };
    process.once(sig as NodeJS.Signals, handler);
    return () => process.removeListener(sig, handler);
  });
  try {
    return await main(cleanup);
  } finally {
    await cleanup.run();
    for (const off of handlers) off();
  }
}
