import { setMaxListeners } from 'node:events';
import { sleep } from '../jobs/abort';
import type { Location } from '../layout';

/** A bucket of a store (a Location without its root path). */
type Endpoint = Pick<Location, 'store' | 'bucket'>;

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
  /** false: the folder could not even be listed at the end; `remaining` is then what may be left. */
  confirmed: boolean;
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
  // keys of ours seen in the folder (a key whose PUT never landed is not counted as removed)
  const found = new Set<string>();
  let pending: string[] = [];
  let foreign = 0;
  let lastError: string | undefined;
  let confirmed = false;
  let delay = timing.initialDelayMs;
  let attempt = 0;
  while (attempt < timing.attempts) {
    attempt++;
    // each pass has its own deadline: the backup's signal has usually fired already (a store's batch delete
    // listens on it once per key in flight: many listeners are expected)
    const signal = AbortSignal.timeout(60_000);
    setMaxListeners(0, signal);
    let deleted = false;
    let listed = false;
    try {
      const present: string[] = [];
      foreign = 0;
      for await (const e of dst.store.list(dst.bucket, dir, { recursive: true, signal })) {
        if (e.type !== 'object' || claim.has(e.key)) continue;
        if (ours.has(e.key)) present.push(e.key);
        else foreign++;
      }
      pending = present;
      listed = true;
      confirmed = true;
      lastError = undefined;
      if (pending.length === 0) break;
      for (const k of pending) found.add(k);
      for (let i = 0; i < pending.length; i += 1000) await dst.store.deleteObjects(dst.bucket, pending.slice(i, i + 1000), { signal });
      deleted = true;
    } catch (e) {
      // a failed delete after a good listing still knows what is there; a failed listing does not
      if (!listed) confirmed = false;
      lastError = (e as Error).message;
    }
    // after a successful delete, look again at once; wait only after a failure (or objects that keep coming)
    if (attempt < timing.attempts && !deleted) {
      onRetry?.(`clean-up of ${dst.bucket}/${dir}: ${lastError ?? `${pending.length} object(s) still there`}; trying again in ${delay} ms`);
      await sleep(delay);
      delay = Math.min(delay * 2, timing.maxDelayMs);
    }
  }
  if (!(confirmed && pending.length === 0)) {
    // the last pass deleted without confirming, or the store failed: what was last known is still there
    if (confirmed) lastError = lastError ?? 'objects kept appearing (copies still landing)';
    const remaining = confirmed ? pending : [...new Set([...pending, ...[...ours].filter((k) => !found.has(k))])];
    return { removed: Math.max(0, found.size - pending.length), remaining, foreign, attempts: attempt, confirmed, lastError };
  }
  if (claim.size > 0) {
    try {
      await dst.store.deleteObjects(dst.bucket, [...claim], { signal: AbortSignal.timeout(60_000) });
    } catch (e) {
      // the claim alone left behind: the folder lists as incomplete and `delete -n` removes it
      return { removed: found.size, remaining: [...claim], foreign, attempts: attempt, confirmed: true, lastError: (e as Error).message };
    }
  }
  return { removed: found.size, remaining: [], foreign, attempts: attempt, confirmed: true };
}

/** One sentence for messages: what the clean-up did and what the user must do about what is left. */
export function describeCleanup(o: CleanupOutcome, bucket: string, dir: string, name: string): string {
  const left = o.foreign > 0 ? `; ${o.foreign} object(s) under it written by another run were left alone` : '';
  if (o.remaining.length === 0) {
    return `the ${o.removed} object(s) this run wrote under ${bucket}/${dir} were removed${left}`;
  }
  const why = o.lastError ? ` (${o.lastError})` : '';
  const what = o.confirmed
    ? `${o.remaining.length} object(s) this run wrote are still under ${bucket}/${dir} after ${o.attempts} attempt(s)${why}${left}`
    : `the storage could not be reached to remove what this run wrote under ${bucket}/${dir} (${o.attempts} attempt(s)${why}): up to ${o.remaining.length} object(s) may be left`;
  return `${what}; \`milvus-backup list\` shows the folder as incomplete: remove it with \`milvus-backup delete -n ${name}\``;
}

const OUTCOME = Symbol('cleanupOutcome');

/** The clean-up outcome travels on the error the run rejects with, for the CLI's and the editor's message. */
export function attachCleanup(e: unknown, text: string): void {
  if (e && typeof e === 'object') Object.defineProperty(e, OUTCOME, { value: text, enumerable: false, configurable: true });
}

export function cleanupTextOf(e: unknown): string | undefined {
  return e && typeof e === 'object' ? ((e as Record<symbol, string | undefined>)[OUTCOME]) : undefined;
}
