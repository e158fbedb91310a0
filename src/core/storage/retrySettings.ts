export interface RetrySettings {
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

/** The Go tool's copy retry (Go `internal/storage/copier.go`, `internal/retry/options.go` defaults): 10 attempts, 200 ms doubling to 3 s. */
export const DEFAULT_RETRY: RetrySettings = { attempts: 10, initialDelayMs: 200, maxDelayMs: 3000 };
