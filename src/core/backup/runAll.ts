import { setMaxListeners } from 'node:events';
import type { Limiter } from '../jobs/limit';

/**
 * Runs `fn` over every item (through `limiter` when given) with errgroup semantics: the first failure aborts
 * the shared child signal so the siblings stop, and the call returns only once every task has settled — so a
 * clean-up that follows never races a copy still in flight. The first error is rethrown.
 */
export async function runAll<T>(
  items: readonly T[],
  limiter: Limiter | undefined,
  fn: (item: T, signal: AbortSignal) => Promise<void>,
  parent?: AbortSignal,
): Promise<void> {
  const ctl = new AbortController();
  // every queued task and in-flight request listens on this one signal: hundreds is normal, not a leak
  setMaxListeners(0, ctl.signal);
  const onAbort = () => ctl.abort(parent?.reason);
  if (parent?.aborted) ctl.abort(parent.reason);
  else parent?.addEventListener('abort', onAbort, { once: true });
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
    parent?.removeEventListener('abort', onAbort);
  }
  if (failed) throw first;
}
