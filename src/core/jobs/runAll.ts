import { linkedAbortController } from './abort';
import type { Limiter } from './limit';

/**
 * "Run all, stop on the first failure" (Go `errgroup.WithContext`, as the Go tool runs collections, segments,
 * copies and import jobs): runs `fn` over every item (through `limiter` when given), each with a signal linked
 * to `parent`. The first failure aborts that signal so the siblings stop, and the call returns only once every
 * task has settled — so a clean-up that follows never races a copy or job still in flight. The first error is
 * rethrown. Nest calls to stop a group and, through the rethrown error, the groups around it.
 */
export async function runAll<T>(
  items: readonly T[],
  limiter: Limiter | undefined,
  fn: (item: T, signal: AbortSignal) => Promise<unknown>,
  parent?: AbortSignal,
): Promise<void> {
  const { controller: ctl, unlink } = linkedAbortController(parent);
  let failed = false;
  let first: unknown;
  const run = (item: T) => (limiter ? limiter(() => fn(item, ctl.signal), ctl.signal) : fn(item, ctl.signal));
  try {
    await Promise.all(
      items.map((item) =>
        run(item).catch((e) => {
          if (!failed) {
            failed = true;
            first = e;
            ctl.abort(e);
          }
        }),
      ),
    );
  } finally {
    unlink();
  }
  if (failed) throw first;
}
