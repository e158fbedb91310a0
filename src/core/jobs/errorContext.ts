import { isAbortError } from '../errors';

/**
 * Prefixes an error's message with what it happened to (`default.coll: Milvus DescribeCollection failed: …`),
 * once, so the one `Error:` line of the CLI names the failing collection. Cancellations stay as they are.
 */
export function nameInError<E>(e: E, what: string): E {
  if (e instanceof Error && !isAbortError(e) && !e.message.startsWith(`${what}: `) && !e.message.includes(` ${what}`)) {
    e.message = `${what}: ${e.message}`;
  }
  return e;
}
