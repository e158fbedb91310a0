import { isAbortError } from '../errors';
import { sleep } from './abort';

interface RetryOptions {
  /** Total attempts including the first (the Go tool: 10). */
  attempts?: number;
  /** First delay in ms, doubled each time up to maxDelayMs (the Go tool: 200 ms → 3 s). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Only errors this returns true for are retried; everything else fails at once. */
  retryable: (e: unknown) => boolean;
  signal?: AbortSignal;
  /** Called before each wait, e.g. to log "retrying put x (attempt 3/10): SlowDown". */
  onRetry?: (e: unknown, attempt: number, delayMs: number) => void;
}

export async function retry<T>(fn: (attempt: number) => Promise<T>, o: RetryOptions): Promise<T> {
  const attempts = o.attempts ?? 10;
  let delay = o.initialDelayMs ?? 200;
  const max = o.maxDelayMs ?? 3000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      if (isAbortError(e) || attempt >= attempts || !o.retryable(e)) throw e;
      o.onRetry?.(e, attempt, delay);
      await sleep(delay, o.signal);
      delay = Math.min(delay * 2, max);
    }
  }
}
