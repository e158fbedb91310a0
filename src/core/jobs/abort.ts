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
 * A child of `parent` that many queued tasks may listen on (each limiter slot adds an abort listener: hundreds
 * are normal, not a leak, and Node would warn past 10). Call `release` when done, to unhook from the parent.
 */
export function fanOutSignal(parent?: AbortSignal): { signal: AbortSignal; release: () => void } {
  const ctl = new AbortController();
  setMaxListeners(0, ctl.signal);
  const onAbort = () => ctl.abort(parent?.reason);
  if (parent?.aborted) ctl.abort(parent.reason);
  else parent?.addEventListener('abort', onAbort, { once: true });
  return { signal: ctl.signal, release: () => parent?.removeEventListener('abort', onAbort) };
}
