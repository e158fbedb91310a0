import { claimKey, claimsDirPrefix } from '../layout';
import { readObjectIfExists } from '../catalog/readObject';
import { UserError } from '../errors';
import { PRECONDITION_FAILED } from '../storage/objectStore';
import { StorageError } from '../storage/storageError';
import type { Location } from '../layout';

/** A bucket of a store (a Location without its root path). */
type Endpoint = Pick<Location, 'store' | 'bucket'>;

/**
 * Claims a backup name before `create` writes anything, so that two `create -n NAME` at once cannot both
 * write into one folder (the Go tool checks for the folder once and then writes, `core/backup/task.go`; two
 * runs both "succeeded" and the folder held a mix).
 *
 * How: a conditional PUT (`If-None-Match: *`) of `<dir>extra/claim.json` holding this run's task id. Exactly
 * one run's PUT succeeds; the others get 412 and fail before any work. A store that ignores the condition is
 * detected by putting the claim a second time with the same condition: a store that honours it refuses that
 * (412), one that does not accepts it. On such a store the claim falls back to one object per run under
 * `<dir>extra/claims/` and a listing: a run that sees any claim but its own gives up. That guarantees at most
 * one winner (two runs that write their claims at the same moment may both give up; the message says to retry).
 *
 * The claim stays in the finished backup (it records which run wrote it; the Go tool ignores `extra/`).
 */

export interface NameClaim {
  /** Every key the claim wrote (the run's clean-up removes them last). */
  keys: string[];
  /** `conditional`: the store honoured If-None-Match; `listing`: the fallback above. */
  mode: 'conditional' | 'listing';
}

interface ClaimBody {
  taskId: string;
  name: string;
  startedAt: string;
  tool: string;
}

export async function claimBackupName(
  dst: Endpoint, dir: string, name: string, taskId: string, signal?: AbortSignal,
): Promise<NameClaim> {
  const key = claimKey(dir);
  const body = Buffer.from(
    JSON.stringify({ taskId, name, startedAt: new Date().toISOString(), tool: 'milvus-backup (TypeScript)' } satisfies ClaimBody),
    'utf8',
  );
  const putIfAbsent = () => dst.store.put(dst.bucket, key, body, body.length, { ifAbsent: true, signal });

  try {
    await putIfAbsent();
  } catch (e) {
    if (!isPreconditionFailed(e)) throw e;
    // 412 on a retried PUT whose first attempt went through (its answer was lost) is our own claim
    if ((await claimHolder(dst, key, signal)) !== taskId) throw nameTaken(name, dst, dir, await claimHolder(dst, key, signal));
  }
  try {
    await putIfAbsent();
  } catch (e) {
    if (isPreconditionFailed(e)) return { keys: [key], mode: 'conditional' };
    throw e;
  }
  return claimByListing(dst, dir, name, taskId, key, body, signal);
}

/** The fallback for stores that ignore If-None-Match: one claim per run, then a look at the others. */
async function claimByListing(
  dst: Endpoint, dir: string, name: string, taskId: string, sharedKey: string, body: Buffer, signal?: AbortSignal,
): Promise<NameClaim> {
  const own = `${claimsDirPrefix(dir)}${taskId}`;
  await dst.store.put(dst.bucket, own, body, body.length, { signal });
  const others: string[] = [];
  for await (const e of dst.store.list(dst.bucket, claimsDirPrefix(dir), { recursive: true, signal })) {
    if (e.type === 'object' && e.key !== own) others.push(e.key.slice(claimsDirPrefix(dir).length));
  }
  // the shared claim was overwritten by whoever put last: if that is someone else, they are running too
  const holder = await claimHolder(dst, sharedKey, signal);
  if (others.length > 0 || (holder !== undefined && holder !== taskId)) {
    // give up, removing our traces (the shared claim only when ours: the winner may hold it)
    await dst.store.deleteObjects(dst.bucket, holder === taskId ? [own, sharedKey] : [own], {}).catch(() => undefined);
    throw nameTaken(name, dst, dir, others[0] ?? holder);
  }
  return { keys: [own, sharedKey], mode: 'listing' };
}

async function claimHolder(dst: Endpoint, key: string, signal?: AbortSignal): Promise<string | undefined> {
  const text = await readObjectIfExists(dst.store, dst.bucket, key, signal);
  if (!text) return undefined;
  try {
    const id = (JSON.parse(text.toString('utf8')) as Partial<ClaimBody>).taskId;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

function isPreconditionFailed(e: unknown): boolean {
  return e instanceof StorageError && (e.storageCode === PRECONDITION_FAILED || e.status === 412);
}

function nameTaken(name: string, dst: Endpoint, dir: string, holder: string | undefined): UserError {
  return new UserError(
    `a backup named "${name}" is being created by another run${holder ? ` (task ${holder})` : ''} in bucket "${dst.bucket}" at "${dir}": ` +
      `choose another name, or wait for that run and remove its backup with \`milvus-backup delete -n ${name}\``,
    'backup-exists',
  );
}
