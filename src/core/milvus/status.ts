/**
 * Milvus reports errors in-band: every response has `status` (or is a Status) with the legacy `error_code`
 * enum name and the newer numeric `code` plus `reason`. The Go tool checks both; so do we. A response without
 * any status (an UNIMPLEMENTED call that the SDK's retry interceptor turned into `{}`) is an error too, so an
 * unimplemented RPC never looks like success.
 */
export class MilvusError extends Error {
  constructor(
    readonly method: string,
    readonly errorCode: string,
    readonly code: number,
    readonly reason: string,
  ) {
    super(`Milvus ${method} failed: ${reason || errorCode || `code ${code}`}`);
    this.name = 'MilvusError';
  }
  get isRateLimit(): boolean {
    return /rate limit exceeded/i.test(this.reason) || this.errorCode === 'RateLimit' || this.code === 8;
  }
  get isNotFound(): boolean {
    return /not found|not exist|doesn't exist|does not exist/i.test(this.reason);
  }
  /** gRPC UNIMPLEMENTED, no status at all, or Milvus's in-band merr "service unimplemented". */
  get isUnimplemented(): boolean {
    return this.errorCode === 'Unimplemented' || /\bunimplemented\b|not implemented/i.test(this.reason);
  }
}

interface StatusLike {
  error_code?: string | number;
  code?: number;
  reason?: string;
}

function statusOf(resp: unknown): StatusLike | undefined {
  if (!resp || typeof resp !== 'object') return undefined;
  const r = resp as Record<string, unknown>;
  if ('status' in r && r.status && typeof r.status === 'object') return r.status as StatusLike;
  if ('error_code' in r || 'reason' in r || 'code' in r) return r as StatusLike;
  return undefined;
}

/** Returns the response when it carries a success status; throws MilvusError otherwise. */
export function checkStatus<T>(method: string, resp: T): T {
  const s = statusOf(resp);
  if (!s) throw new MilvusError(method, 'Unimplemented', -1, 'the server returned no status (the RPC is probably not implemented by this Milvus version)');
  const ec = s.error_code ?? 'Success';
  const ok = (ec === 'Success' || ec === 0) && (s.code === undefined || s.code === 0);
  if (!ok) throw new MilvusError(method, String(ec), Number(s.code ?? 0), s.reason ?? '');
  return resp;
}
