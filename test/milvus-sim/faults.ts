/**
 * Fault injection for the reliability suite: make the next N calls of an RPC (or REST/management route) fail
 * or slow down. Set through the management port (`POST /sim/faults`) or the MILVUS_SIM_FAULTS env var (a JSON
 * array of the same objects) at start.
 *
 * Errors:
 *   "rate limit exceeded" → in-band merr ErrServiceRateLimit (code 8, ErrorCode RateLimit), retriable, as the
 *                           proxy's rate limiter answers;
 *   "unavailable"         → in-band ErrServiceUnavailable (code 2);
 *   "grpc-unavailable"    → gRPC status UNAVAILABLE (the proxy unreachable/restarting; SDKs may wait for their timeout);
 *   "import-failed"       → Import: in-band ErrImportFailed; GetImportState / REST describe: the job reports Failed;
 *   anything else         → in-band UnexpectedError with that text as reason.
 */
export interface FaultSpec {
  /** RPC name (`Flush`), REST route (`segments/describe`, `jobs/import/create`) or management route (`gc/pause`). */
  method: string;
  /** How many upcoming calls are affected (default 1). */
  count?: number;
  error?: string;
  /** Delay before answering, ms. */
  delayMs?: number;
}

export class Faults {
  private readonly pending: Array<Required<Pick<FaultSpec, 'method' | 'count'>> & FaultSpec> = [];

  constructor(initial: FaultSpec[] = []) {
    for (const f of initial) this.add(f);
  }

  add(f: FaultSpec): void {
    if (!f || typeof f.method !== 'string' || !f.method) throw new Error('fault needs a "method"');
    this.pending.push({ ...f, count: f.count ?? 1 });
  }

  clear(): void {
    this.pending.length = 0;
  }

  list(): FaultSpec[] {
    return this.pending.map((f) => ({ ...f }));
  }

  /** Consumes one use of the first fault registered for `method`, if any. */
  take(method: string): { error?: string; delayMs?: number } | undefined {
    const i = this.pending.findIndex((f) => f.method === method && f.count > 0);
    if (i < 0) return undefined;
    const f = this.pending[i];
    f.count--;
    if (f.count <= 0) this.pending.splice(i, 1);
    return { error: f.error, delayMs: f.delayMs };
  }
}

export function faultsFromEnv(env: string | undefined): FaultSpec[] {
  if (!env) return [];
  const parsed = JSON.parse(env) as FaultSpec | FaultSpec[];
  return Array.isArray(parsed) ? parsed : [parsed];
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
