import { createLimiter, type Limiter } from '../jobs/limit';

/**
 * Requests in flight per operation kind, per store. Separate kinds so a flood of copies never starves the
 * listings and stats that feed them, and so streaming copy (a read plus a write) cannot deadlock on one pool.
 * `get` holds its slot until the response headers arrive, not while the caller drains the body.
 */
export interface StoreConcurrency {
  list: number;
  read: number;
  write: number;
  copy: number;
  delete: number;
}

/** Sane defaults: the engine's own transfer concurrency (128 in the Go tool) bounds the total further up. */
export const DEFAULT_CONCURRENCY: StoreConcurrency = { list: 16, read: 64, write: 32, copy: 64, delete: 10 };

export type StoreLimits = { [K in keyof StoreConcurrency]: Limiter };

export function createStoreLimits(c: Partial<StoreConcurrency> = {}): StoreLimits {
  const v = { ...DEFAULT_CONCURRENCY, ...c };
  return {
    list: createLimiter(v.list),
    read: createLimiter(v.read),
    write: createLimiter(v.write),
    copy: createLimiter(v.copy),
    delete: createLimiter(v.delete),
  };
}
