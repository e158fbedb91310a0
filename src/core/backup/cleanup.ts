import { sleep } from '../jobs/abort';
import type { Endpoint } from './copier';

/**
 * The clean-up of a failed or cancelled `create` (the Go tool leaves the folder, and then the name can never be
 * reused without manual deletion). It removes only what its own run wrote — every key goes into RunWrites
 * before its PUT or copy starts — never the folder as a whole: another run (a Go tool without our name claim,
 * or a store that ignored it) may be writing there. It is called after every copy has settled (runAll waits),
 * retries with backoff (a server may still finish a copy it had accepted, or be down for a few seconds),
 * removes the name claim last, and reports what is left instead of claiming success.
 */

export class RunWrites {
  private readonly data = new Set<string>();
  private readonly claim: string[] = [];

  /** Call before the PUT or copy of `key` starts: a cancelled request may still create it. */
  add(key: string): void {
    this.data.add(key);
  }

  addClaim(keys: readonly string[]): void {
    this.claim.push(...keys);
  }

  get dataKeys(): ReadonlySet<string> {
    return this.data;
  }

  get claimKeys(): readonly string[] {
    return this.claim;
  }

  get isEmpty(): boolean {
    return this.data.size === 0 && this.claim.length === 0;
  }
}

export interface CleanupOutcome {
  /** Objects of this run found and removed (or already gone). */
  removed: number;
  /** Keys this run wrote that are still there after every attempt (up to 20 shown in messages). */
  remaining: string[];
  /** Objects under the folder this run did not write, left alone. */
  foreign: number;
  attempts: number;
  /** The last failure, when the store refused or was unreachable. */
  lastError?: string;
}

export interface CleanupTiming {
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

/** 6 passes over ~15 s: enough for a copy the server had accepted to land, and for a short outage. */
export const DEFAULT_CLEANUP_TIMING: CleanupTiming = { attempts: 6, initialDelayMs: 500, maxDelayMs: 8000 };

export async function removeRunWrites(
  dst: Endpoint, dir: string, writes: RunWrites, timing: CleanupTiming = DEFAULT_CLEANUP_TIMING,
  onRetry?: (message: string) => void,
): Promise<CleanupOutcome> {
  if (dir === '' || !dir.endsWith('/')) throw new Error(`refusing to clean up "${dir}": not a backup folder prefix`);
  const ours = new Set(writes.dataKeys);
  const claim = new Set(writes.claimKeys);
  let pending = [...ours];
  let foreign = 0;
  let lastError: string | undefined;
  let delay = timing.initialDelayMs;
  let attempt = 0;
  let confirmed = false;
  for (attempt = 1; attempt <= timing.attempts; attempt++) {
    // each pass has its own deadline: the backup's signal has usually fired already
    const signal = AbortSignal.timeout(60_000);
    try {
      for (let i = 0; i < pending.length; i += 1000) await dst.store.deleteObjects(dst.bucket, pending.slice(i, i + 1000), { signal });
      const present: string[] = [];
      foreign = 0;
      for await (const e of dst.store.list(dst.bucket, dir, { recursive: true, signal })) {
        if (e.type !== 'object' || claim.has(e.key)) continue;
        if (ours.has(e.key)) present.push(e.key);
        else foreign++;
      }
      pending = present;
      confirmed = true;
      lastError = undefined;
      if (pending.length === 0) break;
    } catch (e) {
      confirmed = false;
      lastError = (e as Error).message;
    }
    if (attempt < timing.attempts) {
      onRetry?.(`clean-up of ${dst.bucket}/${dir}: ${lastError ?? `${pending.length} object(s) still there`}; trying again in ${delay} ms`);
      await sleep(delay);
      delay = Math.min(delay * 2, timing.maxDelayMs);
    }
  }
  attempt = Math.min(attempt, timing.attempts);
  if (confirmed && pending.length === 0 && claim.size > 0) {
    try {
      await dst.store.deleteObjects(dst.bucket, [...claim], { signal: AbortSignal.timeout(60_000) });
    } catch (e) {
      // the claim alone left behind: the folder lists as incomplete and `delete -n` removes it
      return { removed: ours.size, remaining: [...claim], foreign, attempts: attempt, lastError: (e as Error).message };
    }
  }
  // unconfirmed (the store failed every pass): `pending` is what was last known to be there
  return { removed: ours.size - pending.length, remaining: pending, foreign, attempts: attempt, lastError };
}

/** One sentence for messages: what the clean-up did and what the user must do about what is left. */
export function describeCleanup(o: CleanupOutcome, bucket: string, dir: string, name: string): string {
  const left = o.foreign > 0 ? `; ${o.foreign} object(s) under it written by another run were left alone` : '';
  if (o.remaining.length === 0) {
    return `the ${o.removed} object(s) this run wrote under ${bucket}/${dir} were removed${left}`;
  }
  const why = o.lastError ? ` (${o.lastError})` : '';
  return (
    `${o.remaining.length} object(s) this run wrote are still under ${bucket}/${dir} after ${o.attempts} attempt(s)${why}${left}; ` +
    `\`milvus-backup list\` shows the folder as incomplete: remove it with \`milvus-backup delete -n ${name}\``
  );
}

const OUTCOME = Symbol('cleanupOutcome');

/** The clean-up outcome travels on the error the run rejects with, for the CLI's and the editor's message. */
export function attachCleanup(e: unknown, text: string): void {
  if (e && typeof e === 'object') Object.defineProperty(e, OUTCOME, { value: text, enumerable: false, configurable: true });
}

export function cleanupTextOf(e: unknown): string | undefined {
  return e && typeof e === 'object' ? ((e as Record<symbol, string | undefined>)[OUTCOME]) : undefined;
}
