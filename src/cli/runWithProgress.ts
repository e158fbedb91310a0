import type { ProgressEvent } from '../core/jobs/progress';
import type { CliContext } from './context';
import { createProgressRenderer, progressStyle } from './progress';

/**
 * Runs one long engine call the way every long CLI command does: Ctrl-C aborts its signal (the engine cleans
 * up), its progress is drawn on stderr (a bar when stderr is a terminal, lines otherwise, nothing but lines
 * with --json), and the bar and the SIGINT handler are gone however the call ends.
 */
export async function runWithProgress<T>(
  ctx: CliContext,
  json: boolean | undefined,
  work: (signal: AbortSignal, onProgress: (e: ProgressEvent) => void) => Promise<T>,
): Promise<T> {
  const ac = new AbortController();
  const onSigint = () => ac.abort(new Error('interrupted'));
  process.once('SIGINT', onSigint);
  const renderer = createProgressRenderer({
    ...progressStyle({ stderrIsTTY: ctx.stderrIsTTY, env: ctx.env, json }),
    write: (s) => ctx.errWrite(s),
    line: (s) => ctx.err(s),
    columns: ctx.columns,
  });
  try {
    return await work(ac.signal, renderer.onEvent);
  } finally {
    renderer.finish();
    process.removeListener('SIGINT', onSigint);
  }
}
