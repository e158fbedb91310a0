/**
 * An error the user can act on: one clear line naming the problem (and, where known, what to do).
 * The CLI prints `message` alone and exits with `exitCode`; the extension shows it as one notification.
 * Anything else that escapes is a bug and is reported with its stack in the log.
 */
export class UserError extends Error {
  constructor(
    message: string,
    /** A short stable code for tests and `--json` output, e.g. `backup-not-found`. */
    readonly code: string = 'user-error',
    readonly exitCode: number = 1,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UserError';
  }
}

/** Thrown when an AbortSignal fires; `isAbortError` recognises it and the DOM-style AbortError alike. */
export class CancelledError extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'AbortError';
  }
}

export function isAbortError(e: unknown): boolean {
  return e instanceof Error && (e.name === 'AbortError' || e instanceof CancelledError);
}
