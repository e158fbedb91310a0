import { UserError } from '../core/errors';

/**
 * A usage error: the command line itself is wrong (a required flag missing, a flag value that cannot be
 * parsed, a removed flag). Exit code 2, like commander's own parse errors and the Unix convention; an error
 * of the run itself (nothing found, connection refused, bad config file) stays exit 1.
 */
export function usageError(message: string, code = 'usage'): UserError {
  return new UserError(message, code, 2);
}

/** The value of a required flag, or a usage error naming it. */
export function required<T>(value: T | undefined | '', flag: string, what: string): T {
  if (value === undefined || value === '') throw usageError(`${what} is required (${flag})`);
  return value as T;
}
