import { parse as parseLossless, isSafeNumber } from 'lossless-json';
import { CancelledError } from '../errors';

/**
 * A small JSON-over-HTTP helper for Milvus's REST (`/v2/vectordb/…`) and management (`:9091/management/…`)
 * APIs. Both report Milvus errors in the body (`code` ≠ 0) with HTTP 200, so callers check `code` themselves;
 * a non-2xx status (404 on an old Milvus, a proxy that only forwards gRPC) is thrown as HttpError.
 */
export class HttpError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`HTTP ${status} from ${url}${body ? `: ${body.slice(0, 200)}` : ''}`);
    this.name = 'HttpError';
  }
}

export async function httpJson(
  method: 'GET' | 'POST',
  url: string,
  o: { /** an object (sent as JSON) or a ready JSON string (for int64 values beyond 2^53) */ body?: unknown; headers?: Record<string, string>; signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const timeout = AbortSignal.timeout(o.timeoutMs ?? 60_000);
  const signal = o.signal ? AbortSignal.any([o.signal, timeout]) : timeout;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: { 'content-type': 'application/json', accept: 'application/json', ...o.headers },
      body: o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body),
      signal,
    });
  } catch (e) {
    if (o.signal?.aborted) throw new CancelledError();
    throw new Error(`cannot reach ${redactUrl(url)}: ${(e as Error).cause ?? (e as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok) throw new HttpError(redactUrl(url), res.status, text);
  if (!text) return {};
  try {
    // Ids in REST answers (segmentID, collectionID) exceed 2^53: unsafe integers come back as bigint.
    return parseLossless(text, undefined, (v) => (isSafeNumber(v) ? Number(v) : /^-?\d+$/.test(v) ? BigInt(v) : Number(v)));
  } catch {
    throw new Error(`${redactUrl(url)} answered something that is not JSON: ${text.slice(0, 200)}`);
  }
}

/** Drops userinfo from a URL before it reaches a message or a log. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url;
  }
}
