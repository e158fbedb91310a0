import { throwIfAborted } from './abort';

/**
 * A counting semaphore: at most `concurrency` tasks run at once, the rest wait in FIFO order.
 * The Go tool bounds work the same way (collection → segment → copy semaphores, always acquired in that
 * order so nested limits cannot deadlock).
 */
export interface Limiter {
  <T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  readonly active: number;
  readonly pending: number;
}

export function createLimiter(concurrency: number): Limiter {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }
  let active = 0;
  const queue: Array<() => void> = [];
  const next = () => {
    if (active < concurrency) {
      const start = queue.shift();
      if (start) start();
    }
  };
  const limiter = <T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const start = () => {
        signal?.removeEventListener('abort', onAbort);
        active++;
        let p: Promise<T>;
        try {
          throwIfAborted(signal);
          p = task();
        } catch (e) {
          p = Promise.reject(e);
        }
        p.then(resolve, reject).finally(() => {
          active--;
          next();
        });
      };
      const onAbort = () => {
        const i = queue.indexOf(start);
        if (i >= 0) queue.splice(i, 1);
        try {
          throwIfAborted(signal);
        } catch (e) {
          reject(e);
        }
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(start);
      next();
    });
  Object.defineProperties(limiter, {
    active: { get: () => active },
    pending: { get: () => queue.length },
  });
  return limiter as Limiter;
}

/** Runs `fn` over `items` with at most `concurrency` in flight; rejects on the first failure (others settle). */
export async function mapLimit<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  const limit = createLimiter(concurrency);
  return Promise.all(items.map((item, i) => limit(() => fn(item, i), signal)));
}
