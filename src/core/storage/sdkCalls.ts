import { CancelledError, isAbortError } from '../errors';
import { throwIfAborted } from '../jobs/abort';
import { retry } from '../jobs/retry';
import { DEFAULT_RETRY, type RetrySettings } from './retrySettings';
import { createStoreLimits, type StoreConcurrency, type StoreLimits } from './limits';
import { StorageError, isRetryableStorageError, storageErrorFromFacts, wrongAddressError, type StorageFacts } from './storageError';


export interface SdkCallOptions {
  concurrency?: Partial<StoreConcurrency>;
  retry?: Partial<RetrySettings>;
  onRetry?: (message: string) => void;
  /** `scheme://host:port` (no credentials) for the "wrong address" message. */
  endpoint: string;
  /** What the SDK's failure means: the provider's error code, HTTP status and message (never credentials). */
  facts: (e: unknown) => StorageFacts;
}

/**
 * The request discipline of the SDK-backed stores (Azure, GCS), as MinioStore applies it to minio-js: the
 * SDK's own retries are off; each request takes a slot of its kind, is retried on retryable failures only
 * (our policy, logged through onRetry), gets the AbortSignal, and fails as a StorageError naming the target.
 */
export class SdkCalls {
  private readonly limits: StoreLimits;
  readonly retry: RetrySettings;
  private answered = false;
  closed = false;

  constructor(private readonly o: SdkCallOptions) {
    this.limits = createStoreLimits(o.concurrency);
    this.retry = { ...DEFAULT_RETRY, ...o.retry };
  }

  /** `fn` gets the signal to hand to the SDK call. */
  run<T>(kind: keyof StoreLimits, target: string, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`${target}: the store is closed`));
    return this.limits[kind](
      () =>
        retry(
          async () => {
            throwIfAborted(signal);
            try {
              const r = await fn();
              this.answered = true;
              return r;
            } catch (e) {
              throw this.wrap(e, target, signal);
            }
          },
          {
            ...this.retry,
            retryable: isRetryableStorageError,
            signal,
            onRetry: (e, attempt, delay) =>
              this.o.onRetry?.(`retrying ${target} (attempt ${attempt + 1}/${this.retry.attempts}) in ${delay} ms: ${(e as Error).message}`),
          },
        ),
      signal,
    );
  }

  /** A failure of `target` as the caller must see it: cancellation, a wrong address, or a StorageError. */
  wrap(e: unknown, target: string, signal?: AbortSignal): Error {
    if (e instanceof StorageError || e instanceof CancelledError) return e;
    if (signal?.aborted || isAbortError(e)) return new CancelledError(`${target}: cancelled`);
    const f = this.o.facts(e);
    if (f.status !== undefined) this.answered = true;
    // until the endpoint has answered once, a refused connection or an unknown host is a wrong address: fail now
    if (!this.answered && f.status === undefined) {
      const wrong = wrongAddressError({ code: f.code, message: f.message }, target, this.o.endpoint);
      if (wrong) return wrong;
    }
    return storageErrorFromFacts(target, f, e);
  }
}

/** A Node network error code (`ECONNRESET`…) named in an SDK's message, when the SDK hides the original error. */
export function netCodeIn(message: string): string | undefined {
  return /\b(E[A-Z]{3,}|UND_ERR_[A-Z_]+)\b/.exec(message)?.[1];
}
