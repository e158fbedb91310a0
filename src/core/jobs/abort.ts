import { setMaxListeners } from 'node:events';
import { CancelledError } from '../errors';

/** Throws CancelledError when the signal has fired; call at every step boundary of long work. */
export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new CancelledError(reasonText(signal.reason));
}

/** Sleeps `ms`, rejecting with CancelledError as soon as the signal fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError(reasonText(signal.reason)));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new CancelledError(reasonText(signal?.reason)));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function reasonText(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  if (typeof reason === 'string') return reason;
  return 'cancelled';
}

/**
 * A child AbortController that aborts (with the parent's reason) when `parent` does. Every queued task, poll
 * sleep and request of a job listens on the child, so hundreds of listeners are normal there, not a leak.
 * Call `unlink()` when the work is done, so a long-lived parent does not keep the child.
 */
export function linkedAbortController(parent?: AbortSignal): { controller: AbortController; unlink(): void } {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const onAbort = () => controller.abort(parent?.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener('abort', onAbort, { once: true });
  return { controller, unlink: () => parent?.removeEventListener('abort', onAbort) };
}
