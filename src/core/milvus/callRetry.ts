import { MilvusError } from './status';

/**
 * Which failed Milvus calls are tried again, and how often (the gateway's one retry rule).
 *
 * Retriable: Milvus's in-band merr errors marked retriable (`pkg/util/merr/errors.go`: ServiceNotReady 1,
 * ServiceUnavailable 2, ServiceMemoryLimitExceeded 3, ServiceRequestLimitExceeded 4, ServiceRateLimit 8) and
 * the gRPC statuses of a proxy restarting or overloaded (UNAVAILABLE 14, RESOURCE_EXHAUSTED 8). DEADLINE_EXCEEDED
 * (4) is retried only for read-only calls: a write may have been applied after the deadline.
 * Only read-only calls are retried on every one of these; writes only on rate limits, which Milvus answers before
 * doing anything. Bounded: RATE_LIMIT_ATTEMPTS / TRANSIENT_ATTEMPTS, 200 ms doubling to 5 s (~1 min / ~20 s).
 */
export const TRANSIENT_ATTEMPTS = 6;
export const RATE_LIMIT_ATTEMPTS = 15;

const READ_ONLY = /^(Describe|Show|Has|List|Get|BackupRBAC$)/;
const RETRIABLE_MERR = new Set([1, 2, 3, 4, 8]);

export type RetryKind = 'rate-limit' | 'transient' | undefined;

export function retryKind(method: string, e: unknown): RetryKind {
  if (e instanceof MilvusError) {
    if (e.isRateLimit) return 'rate-limit';
    if (!READ_ONLY.test(method)) return undefined;
    if (RETRIABLE_MERR.has(e.code) || /service (unavailable|not ready)/i.test(e.reason)) return 'transient';
    return undefined;
  }
  const code = (e as { code?: unknown })?.code;
  if (code === 8) return 'rate-limit';
  if (!READ_ONLY.test(method)) return undefined;
  if (code === 14 || code === 4) return 'transient';
  return undefined;
}

export function maxAttempts(kind: Exclude<RetryKind, undefined>): number {
  return kind === 'rate-limit' ? RATE_LIMIT_ATTEMPTS : TRANSIENT_ATTEMPTS;
}

export function backoffMs(attempt: number): number {
  return Math.min(200 * 2 ** (attempt - 1), 5000);
}

/**
 * Milvus answered "not now" (a retriable merr or a rate limit) without doing anything: safe to send again even
 * for a call that creates something, such as an import job (a lost answer is not: the job may exist).
 */
export function isTransientRefusal(e: unknown): boolean {
  return e instanceof MilvusError && (e.isRateLimit || RETRIABLE_MERR.has(e.code) || /service (unavailable|not ready)/i.test(e.reason));
}

/** For read-only calls (polling an import job): a refusal as above, a 5xx, or the server unreachable for now. */
export function isTransientForRead(e: unknown): boolean {
  if (isTransientRefusal(e)) return true;
  const x = e as { status?: unknown; code?: unknown; message?: unknown };
  if (typeof x?.status === 'number' && x.status >= 500) return true;
  if (x?.code === 14 || x?.code === 4) return true;
  return typeof x?.message === 'string' && /^cannot reach /.test(x.message);
}
